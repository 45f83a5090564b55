influx::query_pattern! {
    trait Q {
        fn load() = "SELECT duration FROM cpu";
    }
}

fn main() {}
