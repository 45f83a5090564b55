influx::query_pattern! {
    trait Q {
        fn load() = "SELECT load FORM cpu";
    }
}

fn main() {}
