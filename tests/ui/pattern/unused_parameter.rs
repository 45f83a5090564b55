influx::query_pattern! {
    trait Q {
        fn load(host: &str, days: u32) = "SELECT * FROM cpu WHERE host = {host}";
    }
}

fn main() {}
