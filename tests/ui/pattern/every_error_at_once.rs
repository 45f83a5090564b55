influx::query_pattern! {
    trait Q {
        fn a(x: u32) = "SELEC * FROM cpu";
        fn b(host: &str) = "SELECT * FROM cpu WHERE host = {hst}";
        fn c() = "SELECT mean(x) FROM cpu GRUOP BY host";
    }
}

fn main() {}
