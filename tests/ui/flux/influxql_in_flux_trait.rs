influx::query_pattern! {
    #[flux]
    trait Q {
        fn load(host: &str) = "SELECT * FROM cpu WHERE host = {host}";
    }
}

fn main() {}
