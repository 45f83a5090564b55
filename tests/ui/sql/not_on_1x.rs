influx::query_pattern! {
    trait Q {
        fn rooms(min: f64) -> Vec<(String, f64)> = sql "SELECT room, temp FROM home WHERE temp > {min}";
    }
}

async fn run(client: influx::Client) {
    let _ = client.rooms(1.0).await;
}

fn main() {
    let _ = run;
}
