influx::query_pattern! {
    trait Q {
        fn load() = "SELECT * FROM cpu WHERE host = 'a";
    }
}

fn main() {}
