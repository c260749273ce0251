//! Background jobs: loads and fits run on a worker thread, report progress and can be cancelled, so the UI
//! never blocks. `run` is the same work done inline (tests and the CLI use it).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::Arc;
use std::thread;

use crate::analysis::models::predict::PredictParams;
use crate::analysis::segments::segment::Sweep;
use crate::data::{LoadOptions, Workspace};
use crate::pipeline::predict::{run_predict_with, PredictInputs, PredictRun, Target};
use crate::pipeline::{refit, run_segments, PipelineError, SegmentConfig, SegmentRun};

/// Work a job can do.
#[derive(Debug, Clone)]
pub enum JobKind {
    Load {
        path: PathBuf,
        opts: LoadOptions,
    },
    /// Sweep k, fit the chosen one, describe personas.
    Segment {
        ws: Box<Workspace>,
        cfg: SegmentConfig,
    },
    /// Fit the response/churn models and score every row.
    Predict {
        ws: Box<Workspace>,
        target: Target,
        params: PredictParams,
    },
    /// Score every row again with another model of a finished fit (`None` = the best by CV AUC).
    Rescore {
        ws: Box<Workspace>,
        run: Box<PredictRun>,
        forced: Option<usize>,
    },
    /// Turn an order log into the customer table (RFM, lifetime value).
    Customers {
        ws: Box<Workspace>,
    },
    /// Product recommendations from an order log, with the holdout figures.
    Recommend {
        log: Box<Workspace>,
    },
    /// Fit another k from an existing sweep.
    Refit {
        ws: Box<Workspace>,
        cfg: SegmentConfig,
        sweep: Box<Sweep>,
        k: usize,
    },
}

impl JobKind {
    pub fn label(&self) -> String {
        match self {
            JobKind::Load { path, .. } => format!("loading {}", path.display()),
            JobKind::Segment { cfg, .. } => {
                format!("k-means sweep k = {}..{}", cfg.k_min, cfg.k_max)
            }
            JobKind::Refit { k, .. } => format!("fitting k = {k}"),
            JobKind::Predict { target, .. } => format!("fitting models for {}", target.label()),
            JobKind::Rescore { .. } => "scoring every customer".into(),
            JobKind::Customers { ws } => format!("building customers from {}", ws.file_name()),
            JobKind::Recommend { log } => format!("recommending from {}", log.file_name()),
        }
    }
}

/// What a job produced.
#[derive(Debug, Clone)]
pub enum JobOutcome {
    Loaded(Result<Box<Workspace>, String>),
    Segmented(Result<Box<SegmentRun>, String>),
    Predicted(Result<Box<PredictRun>, String>),
    /// A finished fit scored again with the user's pick.
    Rescored(Result<Box<PredictRun>, String>),
    /// The customer table of an order log, and what the roll-up did in words.
    Customers(Result<(Box<Workspace>, String), String>),
    Recommended(Result<Box<crate::pipeline::recommend::Recommendations>, String>),
    Cancelled,
}

/// Messages from the worker.
#[derive(Debug)]
pub enum JobEvent {
    Progress {
        id: u64,
        fraction: f32,
        label: String,
    },
    /// Part of the result while the job goes on (a model that finished before the others).
    Partial {
        id: u64,
        outcome: JobOutcome,
    },
    Done {
        id: u64,
        outcome: JobOutcome,
    },
}

/// Do the work of a job on the current thread.
pub fn run(kind: JobKind, progress: &dyn Fn(f32, String), cancel: &AtomicBool) -> JobOutcome {
    run_with(kind, progress, &|_| {}, cancel)
}

/// `run` that hands over partial results (models as they finish) through `partial`.
pub fn run_with(
    kind: JobKind,
    progress: &dyn Fn(f32, String),
    partial: &dyn Fn(JobOutcome),
    cancel: &AtomicBool,
) -> JobOutcome {
    match kind {
        JobKind::Load { path, opts } => {
            progress(0.0, format!("reading {}", path.display()));
            let result = Workspace::open(&path, &opts)
                .map(Box::new)
                .map_err(|e| e.to_string());
            if cancel.load(Ordering::Relaxed) {
                return JobOutcome::Cancelled;
            }
            JobOutcome::Loaded(result)
        }
        JobKind::Segment { ws, cfg } => match run_segments(&ws, &cfg, progress, cancel) {
            Err(PipelineError::Cancelled) => JobOutcome::Cancelled,
            r => JobOutcome::Segmented(r.map(Box::new).map_err(|e| e.to_string())),
        },
        JobKind::Predict { ws, target, params } => {
            let inputs = PredictInputs {
                target: &target,
                features: None,
                exclude: &[],
                params: &params,
            };
            let partial = |r: PredictRun| partial(JobOutcome::Predicted(Ok(Box::new(r))));
            match run_predict_with(&ws, &inputs, progress, &partial, cancel) {
                Err(PipelineError::Cancelled) => JobOutcome::Cancelled,
                r => JobOutcome::Predicted(r.map(Box::new).map_err(|e| e.to_string())),
            }
        }
        JobKind::Customers { ws } => {
            progress(0.1, format!("rolling up {}", ws.file_name()));
            let r = crate::pipeline::lifetime::customers::customers_workspace(&ws);
            if cancel.load(Ordering::Relaxed) {
                return JobOutcome::Cancelled;
            }
            JobOutcome::Customers(r.map(|(w, s)| (Box::new(w), s)))
        }
        JobKind::Recommend { log } => {
            let step = |f: f32, what: &str| progress(f, what.to_string());
            let r = crate::pipeline::recommend::recommend_workspace(&log, &step);
            if cancel.load(Ordering::Relaxed) {
                return JobOutcome::Cancelled;
            }
            JobOutcome::Recommended(r.map(Box::new))
        }
        JobKind::Rescore {
            ws,
            mut run,
            forced,
        } => {
            progress(0.1, "scoring every customer".into());
            JobOutcome::Rescored(
                run.rescore(&ws, forced)
                    .map(|_| run)
                    .map_err(|e| e.to_string()),
            )
        }
        JobKind::Refit { ws, cfg, sweep, k } => {
            progress(0.5, format!("fitting k = {k}"));
            JobOutcome::Segmented(
                refit(&ws, &cfg, *sweep, k)
                    .map(Box::new)
                    .map_err(|e| e.to_string()),
            )
        }
    }
}

/// Spawns jobs on worker threads and collects their events.
pub struct Jobs {
    tx: Sender<JobEvent>,
    rx: Receiver<JobEvent>,
    cancel: Option<Arc<AtomicBool>>,
}

impl Default for Jobs {
    fn default() -> Self {
        let (tx, rx) = channel();
        Self {
            tx,
            rx,
            cancel: None,
        }
    }
}

impl Jobs {
    /// Start a job on a new thread (one at a time: starting one cancels the previous).
    pub fn start(&mut self, id: u64, kind: JobKind) {
        self.cancel_current();
        let cancel = Arc::new(AtomicBool::new(false));
        self.cancel = Some(cancel.clone());
        let tx = self.tx.clone();
        thread::spawn(move || {
            let ptx = tx.clone();
            let progress = move |fraction: f32, label: String| {
                let _ = ptx.send(JobEvent::Progress {
                    id,
                    fraction,
                    label,
                });
            };
            let qtx = tx.clone();
            let partial = move |outcome: JobOutcome| {
                let _ = qtx.send(JobEvent::Partial { id, outcome });
            };
            let outcome = run_with(kind, &progress, &partial, &cancel);
            let _ = tx.send(JobEvent::Done { id, outcome });
        });
    }

    /// Ask the running job to stop at its next check.
    pub fn cancel_current(&mut self) {
        if let Some(c) = self.cancel.take() {
            c.store(true, Ordering::Relaxed);
        }
    }

    /// Events waiting, without blocking.
    pub fn poll(&self) -> Vec<JobEvent> {
        self.rx.try_iter().collect()
    }
}
