use influx::Ident;

influx::query_pattern! {
    trait Q {
        fn load(host: Ident<'_>) = "SELECT * FROM cpu WHERE host = {host}";
    }
}

fn main() {}
