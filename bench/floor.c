/* The physical floor of creating persistent taps: only the kernel calls.
 *
 *   floor create   N UID           per tap: open /dev/net/tun, TUNSETIFF,
 *                                  TUNSETOWNER, TUNSETPERSIST, close
 *   floor full     N UID           the same, and while every fd is held,
 *                                  SIOCGIFINDEX per tap, then RTM_NEWADDR
 *                                  (10.a.b.1/30) and RTM_NEWLINK up for all
 *                                  of them in one sendmsg, every ack read;
 *                                  then TUNSETPERSIST and close
 *   floor one NAME UID             one tap, as tunctl -u UID -t NAME
 *
 * Taps are named tap0..tapN-1 and addressed as bench/floor.sh's batch files
 * do. No error recovery: the bench checks the result with ip. Built by
 * bench/floor.sh with gcc -O2; run only inside the bench's network
 * namespace.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

static void die(const char *what, int i) {
    fprintf(stderr, "floor: %s (tap%d): %s\n", what, i, strerror(errno));
    exit(1);
}

static int make(const char *name, int uid, int i) {
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (fd < 0) die("open", i);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_TUN_EXCL | IFF_NO_CARRIER;
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) die("TUNSETIFF", i);
    if (ioctl(fd, TUNSETOWNER, uid) < 0) die("TUNSETOWNER", i);
    return fd;
}

static void persist(int fd, int i) {
    if (ioctl(fd, TUNSETPERSIST, 1) < 0) die("TUNSETPERSIST", i);
    close(fd);
}

struct addr_req {
    struct nlmsghdr nh;
    struct ifaddrmsg ifa;
    struct rtattr local_rta;
    unsigned char local[4];
    struct rtattr addr_rta;
    unsigned char addr[4];
};

struct link_req {
    struct nlmsghdr nh;
    struct ifinfomsg ifi;
};

static void full(int n, int uid) {
    int *fds = calloc(n, sizeof *fds);
    int ctl = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (ctl < 0 || nl < 0) die("socket", -1);
    /* Every ack must fit in the receive buffer: the kernel answers the whole
     * burst inside our one sendmsg. */
    int big = 1 << 26;
    setsockopt(nl, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof big);
    setsockopt(nl, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big);
    size_t len = (size_t)n * (sizeof(struct addr_req) + sizeof(struct link_req));
    char *buf = calloc(1, len), *p = buf;
    for (int i = 0; i < n; i++) {
        char name[IFNAMSIZ];
        snprintf(name, sizeof name, "tap%d", i);
        fds[i] = make(name, uid, i);
        struct ifreq ifr;
        memset(&ifr, 0, sizeof ifr);
        snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
        if (ioctl(ctl, SIOCGIFINDEX, &ifr) < 0) die("SIOCGIFINDEX", i);
        struct addr_req *a = (struct addr_req *)p;
        a->nh.nlmsg_len = sizeof *a;
        a->nh.nlmsg_type = RTM_NEWADDR;
        a->nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
        a->nh.nlmsg_seq = 2 * i + 1;
        a->ifa.ifa_family = AF_INET;
        a->ifa.ifa_prefixlen = 30;
        a->ifa.ifa_index = ifr.ifr_ifindex;
        unsigned char ip[4] = {10, i / 64, i % 64 * 4, 1};
        a->local_rta.rta_len = RTA_LENGTH(4);
        a->local_rta.rta_type = IFA_LOCAL;
        memcpy(a->local, ip, 4);
        a->addr_rta.rta_len = RTA_LENGTH(4);
        a->addr_rta.rta_type = IFA_ADDRESS;
        memcpy(a->addr, ip, 4);
        p += sizeof *a;
        struct link_req *l = (struct link_req *)p;
        l->nh.nlmsg_len = sizeof *l;
        l->nh.nlmsg_type = RTM_NEWLINK;
        l->nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
        l->nh.nlmsg_seq = 2 * i + 2;
        l->ifi.ifi_family = AF_UNSPEC;
        l->ifi.ifi_index = ifr.ifr_ifindex;
        l->ifi.ifi_flags = IFF_UP;
        l->ifi.ifi_change = IFF_UP;
        p += sizeof *l;
    }
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    struct iovec iov = {buf, len};
    struct msghdr msg = {.msg_name = &kernel, .msg_namelen = sizeof kernel, .msg_iov = &iov, .msg_iovlen = 1};
    if (sendmsg(nl, &msg, 0) != (ssize_t)len) die("sendmsg", -1);
    int acks = 0;
    static char rbuf[1 << 16];
    while (acks < 2 * n) {
        ssize_t got = recv(nl, rbuf, sizeof rbuf, 0);
        if (got < 0) die("recv", -1);
        for (struct nlmsghdr *h = (struct nlmsghdr *)rbuf; NLMSG_OK(h, got); h = NLMSG_NEXT(h, got)) {
            if (h->nlmsg_type != NLMSG_ERROR) continue;
            struct nlmsgerr *e = NLMSG_DATA(h);
            if (e->error) {
                errno = -e->error;
                die("netlink ack", (int)(h->nlmsg_seq - 1) / 2);
            }
            acks++;
        }
    }
    for (int i = 0; i < n; i++) persist(fds[i], i);
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: floor create|full N UID | floor one NAME UID\n");
        return 2;
    }
    int uid = atoi(argv[3]);
    if (!strcmp(argv[1], "one")) {
        persist(make(argv[2], uid, 0), 0);
        return 0;
    }
    int n = atoi(argv[2]);
    if (!strcmp(argv[1], "create")) {
        for (int i = 0; i < n; i++) {
            char name[IFNAMSIZ];
            snprintf(name, sizeof name, "tap%d", i);
            persist(make(name, uid, i), i);
        }
    } else if (!strcmp(argv[1], "full")) {
        full(n, uid);
    } else {
        return 2;
    }
    return 0;
}
