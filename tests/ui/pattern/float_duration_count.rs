influx::query_pattern! {
    trait Q {
        fn recent(days: f64) = "SELECT * FROM cpu WHERE time > now() - {days}d";
    }
}

fn main() {}
