//! Captures everything `tracing` emits (TRACE and up, spans and events, every
//! field) into a string, for tests that assert what logs never show.
//!
//! Installed as the thread's default subscriber: run the code under test on a
//! current-thread runtime inside [`Capture::run`] so that spawned tasks (the
//! writer's) log to it too.
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::level_filters::LevelFilter;
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

#[derive(Clone, Default)]
pub struct Capture {
    out: Arc<Mutex<String>>,
    next_span: Arc<AtomicU64>,
}

impl Capture {
    /// Runs `f` with this capture as the thread's subscriber.
    pub fn run<R>(&self, f: impl FnOnce() -> R) -> R {
        // With a single registered dispatcher, tracing-core asks only the
        // registering thread's default about a new callsite, so a callsite first
        // hit by another test's thread would be disabled here for good. A second
        // dispatcher, kept for the process, makes it ask every live one.
        static SECOND: std::sync::OnceLock<tracing::Dispatch> = std::sync::OnceLock::new();
        SECOND.get_or_init(|| tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default()));
        tracing::subscriber::with_default(self.clone(), f)
    }

    /// Everything captured so far, one line per span or event.
    pub fn text(&self) -> String {
        self.out.lock().unwrap().clone()
    }
}

struct Fields<'a>(&'a mut String);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        let _ = write!(self.0, " {}={value}", field.name());
    }

    fn record_error(&mut self, field: &Field, value: &(dyn std::error::Error + 'static)) {
        let _ = write!(self.0, " {}={value} ({value:?})", field.name());
        let mut source = value.source();
        while let Some(s) = source {
            let _ = write!(self.0, " <- {s} ({s:?})");
            source = s.source();
        }
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn max_level_hint(&self) -> Option<LevelFilter> {
        Some(LevelFilter::TRACE)
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut out = self.out.lock().unwrap();
        let _ = write!(out, "span {} {}:", span.metadata().level(), span.metadata().name());
        span.record(&mut Fields(&mut out));
        out.push('\n');
        Id::from_u64(self.next_span.fetch_add(1, Ordering::Relaxed) + 1)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut out = self.out.lock().unwrap();
        out.push_str("record:");
        values.record(&mut Fields(&mut out));
        out.push('\n');
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut out = self.out.lock().unwrap();
        let _ = write!(out, "{} {}:", event.metadata().level(), event.metadata().target());
        event.record(&mut Fields(&mut out));
        out.push('\n');
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}
