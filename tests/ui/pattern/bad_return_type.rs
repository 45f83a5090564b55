influx::query_pattern! {
    trait Q {
        fn load() -> String = "SHOW DATABASES";
    }
}

fn main() {}
