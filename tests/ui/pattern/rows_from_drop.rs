use influx::Ident;

influx::query_pattern! {
    trait Q {
        fn drop(db: Ident<'_>) -> Vec<String> = "DROP DATABASE {db}";
    }
}

fn main() {}
