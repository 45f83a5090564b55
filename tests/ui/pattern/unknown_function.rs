influx::query_pattern! {
    trait Q {
        fn load() = "SELECT avrage(load) FROM cpu";
    }
}

fn main() {}
