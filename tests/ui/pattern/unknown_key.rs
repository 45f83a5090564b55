influx::__private::query_pattern! {
    krate = influx;
    trait Q {
        fn load() = "SHOW DATABASES";
    }
}

fn main() {}
