influx::query_pattern! {
    trait Q {
        fn drop(db: u32) = "DROP DATABASE {db}d";
    }
}

fn main() {}
