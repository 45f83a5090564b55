influx::query_pattern! {
    trait Q {
        fn load() = "SELECT {*} FROM cpu";
    }
}

fn main() {}
