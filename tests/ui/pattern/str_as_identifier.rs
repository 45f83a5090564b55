influx::query_pattern! {
    trait Q {
        fn drop(db: &str) = "DROP DATABASE {db}";
    }
}

fn main() {}
