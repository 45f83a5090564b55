influx::query_pattern! {
    trait Q {
        fn load() = "SELECT * FROM cpu LIMIT 10 WHERE host = 'a'";
    }
}

fn main() {}
