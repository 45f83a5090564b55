influx::query_pattern! {
    #[flux]
    trait Q {
        fn load(host: &str) = r#"from(bucket: "b") |> filter(fn: (r) => r.host == {hots})"#;
    }
}

fn main() {}
