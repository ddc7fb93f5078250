fn main() {
    std::process::exit(tuntapctl::app::run(std::env::args_os()));
}
