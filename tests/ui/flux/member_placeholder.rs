influx::query_pattern! {
    #[flux]
    trait Q {
        fn values(field: &str) = r#"from(bucket: "b") |> map(fn: (r) => ({r with v: r.{field}}))"#;
    }
}

fn main() {}
