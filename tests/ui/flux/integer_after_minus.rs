influx::query_pattern! {
    #[flux]
    trait Q {
        fn recent(hours: i64) = r#"from(bucket: "b") |> range(start: -{hours})"#;
    }
}

fn main() {}
