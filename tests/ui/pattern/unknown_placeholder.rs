influx::query_pattern! {
    trait Q {
        fn load(host: &str) = "SELECT * FROM cpu WHERE host = {hots}";
    }
}

fn main() {}
