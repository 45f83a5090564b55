influx::query_pattern! {
    trait Q {
        fn load() = "SELEC * FROM cpu";
    }
}

fn main() {}
