//! The publishing pipelines that `vetrina init` writes (`.gitlab-ci.yml` for GitLab Pages,
//! `.github/workflows/publish.yml` for GitHub Pages): both parse as YAML and hold the keys
//! GitLab and GitHub need to check merge requests, publish the main branch and rebuild daily,
//! with Vetrina pinned to the version that wrote them; their install step installs only when
//! the cached Vetrina is missing or of another version; `init --pipelines` adds them to an
//! existing site and never replaces a file.

mod common;
use common::*;

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use vetrina::scaffold::{self, RUST_VERSION, VETRINA_VERSION};

const GITLAB: &str = ".gitlab-ci.yml";
const GITHUB: &str = ".github/workflows/publish.yml";

fn yaml(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap();
    serde_saphyr::from_str::<Value>(&text)
        .unwrap_or_else(|e| panic!("{} is not valid YAML: {e}", path.display()))
}

/// A new site with its pipelines, and the two files parsed.
fn new_site() -> (tempfile::TempDir, PathBuf, Value, Value) {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("sito");
    let files = scaffold::init(&dir).expect("init");
    for f in [GITLAB, GITHUB] {
        assert!(files.contains(&PathBuf::from(f)), "{f} not in {files:?}");
    }
    let (gitlab, github) = (yaml(&dir.join(GITLAB)), yaml(&dir.join(GITHUB)));
    (t, dir, gitlab, github)
}

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a.iter().flat_map(strings).collect(),
        _ => Vec::new(),
    }
}

/// The `if:` conditions of a GitLab job's rules.
fn rule_ifs(job: &Value) -> Vec<String> {
    job["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .map(|r| r["if"].as_str().expect("a rule with if").to_string())
        .collect()
}

/// Whether `cron` is five fields, each `*` or numbers within the field's range (with `,`,
/// `-` and `/`), as GitHub's schedule takes it.
fn valid_cron(cron: &str) -> bool {
    let fields: Vec<&str> = cron.split_whitespace().collect();
    let ranges = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 6)];
    fields.len() == 5
        && fields.iter().zip(ranges).all(|(f, (lo, hi))| {
            f.split(',').all(|part| {
                let (range, step) = part.split_once('/').unwrap_or((part, "1"));
                let step_ok = step.parse::<u32>().is_ok_and(|s| s > 0);
                let range_ok = range == "*"
                    || range
                        .split('-')
                        .all(|n| n.parse::<u32>().is_ok_and(|n| (lo..=hi).contains(&n)));
                step_ok && range_ok
            })
        })
}

#[test]
fn cron_check_knows_a_bad_pattern() {
    assert!(valid_cron("17 4 * * *"));
    assert!(valid_cron("0 */6 1-15 * 1,3"));
    assert!(!valid_cron("17 4 * *"));
    assert!(!valid_cron("61 4 * * *"));
    assert!(!valid_cron("daily"));
}

#[test]
fn gitlab_pipeline_checks_merge_requests_and_publishes_main_and_daily() {
    let (_t, _dir, ci, _) = new_site();
    assert_eq!(ci["variables"]["VETRINA_VERSION"], VETRINA_VERSION);
    assert_eq!(ci["variables"]["VETRINA_GIT"], "", "crates.io unless set");
    assert_eq!(ci["variables"]["CARGO_HOME"], "$CI_PROJECT_DIR/.cargo");
    assert_eq!(ci["image"], format!("rust:{RUST_VERSION}").as_str());
    assert!(!RUST_VERSION.is_empty());

    // Both jobs get Vetrina from the shared hidden job, cached by version.
    let base = &ci[".vetrina"];
    assert_eq!(base["cache"]["key"], "vetrina-$VETRINA_VERSION");
    assert_eq!(strings(&base["cache"]["paths"]), [".cargo/bin/"]);
    let install = strings(&base["before_script"]).join("\n");
    for want in [
        "cargo install --locked --force vetrina --version \"$VETRINA_VERSION\"",
        "cargo install --locked --force --git \"$VETRINA_GIT\" --tag \"v$VETRINA_VERSION\" vetrina",
        "vetrina --version",
    ] {
        assert!(install.contains(want), "{want:?} not in:\n{install}");
    }

    let stages = strings(&ci["stages"]);
    let check = &ci["check"];
    assert_eq!(check["extends"], ".vetrina");
    assert!(stages.contains(&check["stage"].as_str().unwrap().to_string()));
    assert_eq!(strings(&check["script"]), ["vetrina check"]);
    assert_eq!(
        rule_ifs(check),
        ["$CI_PIPELINE_SOURCE == \"merge_request_event\""]
    );

    let pages = &ci["pages"];
    assert_eq!(pages["extends"], ".vetrina");
    assert!(stages.contains(&pages["stage"].as_str().unwrap().to_string()));
    assert_eq!(strings(&pages["script"]), ["vetrina build"]);
    assert_eq!(strings(&pages["artifacts"]["paths"]), ["public"]);
    let ifs = rule_ifs(pages);
    for source in ["push", "schedule", "web"] {
        let want = format!(
            "$CI_PIPELINE_SOURCE == \"{source}\" && $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"
        );
        assert!(ifs.contains(&want), "{want} not in {ifs:?}");
    }
    assert!(
        !ifs.iter().any(|i| i.contains("merge_request_event")),
        "a merge request never publishes"
    );
    // The file says where the daily schedule is made.
    let text = fs::read_to_string(_dir.join(GITLAB)).unwrap();
    assert!(text.contains("Pipeline schedules"), "{text}");
}

#[test]
fn github_workflow_checks_pull_requests_and_publishes_main_and_daily() {
    let (_t, _dir, _, wf) = new_site();
    let on = &wf["on"];
    assert!(on.as_object().is_some(), "`on` is read as a key: {wf}");
    assert!(on.get("pull_request").is_some());
    assert!(on.get("workflow_dispatch").is_some());
    assert_eq!(strings(&on["push"]["branches"]), ["main"]);
    let crons: Vec<&str> = on["schedule"]
        .as_array()
        .expect("a schedule")
        .iter()
        .map(|s| s["cron"].as_str().expect("cron"))
        .collect();
    assert_eq!(crons.len(), 1);
    assert!(valid_cron(crons[0]), "{crons:?}");
    let fields: Vec<&str> = crons[0].split_whitespace().collect();
    assert_eq!(&fields[2..], ["*", "*", "*"], "daily: {crons:?}");

    assert_eq!(wf["env"]["VETRINA_VERSION"], VETRINA_VERSION);
    assert_eq!(
        wf["env"]["VETRINA_GIT"],
        "${{ secrets.VETRINA_GIT || vars.VETRINA_GIT }}"
    );
    assert_eq!(wf["permissions"]["contents"], "read");

    let jobs = wf["jobs"].as_object().expect("jobs");
    for (name, job) in jobs {
        assert_eq!(job["runs-on"], "ubuntu-latest", "{name}");
        assert!(
            !job["steps"].as_array().expect("steps").is_empty(),
            "{name}"
        );
    }
    let uses = |job: &str| -> Vec<String> {
        jobs[job]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s["uses"].as_str())
            .map(|u| u.split('@').next().unwrap_or(u).to_string())
            .collect()
    };
    let runs = |job: &str| -> String {
        jobs[job]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s["run"].as_str())
            .collect::<Vec<_>>()
            .join("\n")
    };

    assert_eq!(jobs["check"]["if"], "github.event_name == 'pull_request'");
    assert!(runs("check").contains("vetrina check"));
    assert!(!runs("check").contains("vetrina build"));

    assert_eq!(jobs["build"]["if"], "github.event_name != 'pull_request'");
    assert_eq!(
        uses("build"),
        [
            "actions/checkout",
            "actions/configure-pages",
            "actions/cache",
            "actions/upload-pages-artifact"
        ]
    );
    assert!(runs("build").contains("vetrina build"));
    let upload = jobs["build"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-pages-artifact@"))
        })
        .unwrap();
    assert_eq!(upload["with"]["path"], "public");

    let deploy = &jobs["deploy"];
    assert_eq!(deploy["needs"], "build");
    assert_eq!(deploy["permissions"]["pages"], "write");
    assert_eq!(deploy["permissions"]["id-token"], "write");
    assert_eq!(deploy["environment"]["name"], "github-pages");
    assert_eq!(deploy["concurrency"]["group"], "pages");
    assert_eq!(deploy["concurrency"]["cancel-in-progress"], false);
    assert!(
        wf.get("concurrency").is_none(),
        "pull requests' checks are in no publishing queue"
    );
    assert_eq!(uses("deploy"), ["actions/deploy-pages"]);

    for job in ["check", "build"] {
        assert!(uses(job).contains(&"actions/cache".to_string()), "{job}");
        let cache = jobs[job]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| {
                s["uses"]
                    .as_str()
                    .is_some_and(|u| u.starts_with("actions/cache@"))
            })
            .unwrap();
        assert_eq!(cache["with"]["path"], "~/.vetrina/bin");
        assert!(
            cache["with"]["key"]
                .as_str()
                .unwrap()
                .contains("${{ env.VETRINA_VERSION }}")
        );
        let run = runs(job);
        for want in [
            "cargo install --locked --force --root \"$HOME/.vetrina\" vetrina --version \"$VETRINA_VERSION\"",
            "--git \"$VETRINA_GIT\" --tag \"v$VETRINA_VERSION\" vetrina",
        ] {
            assert!(run.contains(want), "{job}: {want:?} not in:\n{run}");
        }
    }
}

/// Runs an install script with a stand-in `cargo` that records its arguments and "installs"
/// a `vetrina` answering `vetrina <VETRINA_VERSION>` under `--root` (or CARGO_HOME). Returns
/// what `cargo` was asked, one call a line.
#[cfg(unix)]
fn run_install(work: &Path, script: &str, cached: Option<&str>, git: &str) -> String {
    use std::os::unix::fs::PermissionsExt;
    let _ = fs::remove_dir_all(work);
    let stub = work.join("stub");
    fs::create_dir_all(&stub).unwrap();
    let cargo = stub.join("cargo");
    fs::write(
        &cargo,
        r#"#!/bin/sh
echo "$*" >> "$CARGO_LOG"
root="$CARGO_HOME"; prev=""
for a in "$@"; do [ "$prev" = "--root" ] && root="$a"; prev="$a"; done
mkdir -p "$root/bin"
printf '#!/bin/sh\necho "vetrina %s"\n' "$VETRINA_VERSION" > "$root/bin/vetrina"
chmod +x "$root/bin/vetrina"
"#,
    )
    .unwrap();
    fs::set_permissions(&cargo, fs::Permissions::from_mode(0o755)).unwrap();
    let home = work.join("home");
    let cargo_home = work.join("project/.cargo");
    if let Some(version) = cached {
        for bin in [home.join(".vetrina/bin"), cargo_home.join("bin")] {
            fs::create_dir_all(&bin).unwrap();
            let v = bin.join("vetrina");
            fs::write(&v, format!("#!/bin/sh\necho 'vetrina {version}'\n")).unwrap();
            fs::set_permissions(&v, fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    let log = work.join("cargo.log");
    fs::write(&log, "").unwrap();
    let path = format!("{}:/usr/bin:/bin", stub.display());
    let out = std::process::Command::new("sh")
        .arg("-ec")
        .arg(script)
        .env_clear()
        .env("PATH", path)
        .env("HOME", &home)
        .env("CARGO_HOME", &cargo_home)
        .env("GITHUB_PATH", work.join("github_path"))
        .env("VETRINA_VERSION", VETRINA_VERSION)
        .env("VETRINA_GIT", git)
        .env("CARGO_LOG", &log)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{script}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    fs::read_to_string(&log).unwrap()
}

/// The install steps install only when the cache lacks this version, from crates.io by
/// default and from VETRINA_GIT's tag when it is set.
#[cfg(unix)]
#[test]
fn install_steps_install_only_a_missing_or_other_version() {
    let (t, _dir, ci, wf) = new_site();
    let gitlab = strings(&ci[".vetrina"]["before_script"]).join("\n");
    let github = wf["jobs"]["build"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["run"].as_str())
        .find(|r| r.contains("cargo install"))
        .unwrap()
        .to_string();
    let v = VETRINA_VERSION;
    let work = t.path().join("run");
    for (name, script, root) in [
        ("gitlab", &gitlab, String::new()),
        (
            "github",
            &github,
            format!("--root {}/home/.vetrina ", work.display()),
        ),
    ] {
        let asked = run_install(&work, script, None, "");
        assert_eq!(
            asked,
            format!("install --locked --force {root}vetrina --version {v}\n"),
            "{name}: nothing cached"
        );
        let asked = run_install(&work, script, Some(v), "");
        assert_eq!(asked, "", "{name}: this version is cached");
        let asked = run_install(&work, script, Some("0.0.1"), "");
        assert!(asked.contains(&format!("--version {v}")), "{name}: {asked}");
        let git = "https://git.agency.example/web/vetrina.git";
        let asked = run_install(&work, script, None, git);
        assert_eq!(
            asked,
            format!("install --locked --force {root}--git {git} --tag v{v} vetrina\n"),
            "{name}: from the agency's git"
        );
    }
}

#[test]
fn init_pipelines_adds_both_files_to_an_existing_site_and_never_replaces_one() {
    let t = tempfile::tempdir().unwrap();
    let site = t.path().join("sito");
    scaffold::init(&site).unwrap();
    let gitlab_text = read(&site, GITLAB);
    let github_text = read(&site, GITHUB);
    fs::remove_file(site.join(GITLAB)).unwrap();
    fs::remove_dir_all(site.join(".github")).unwrap();

    let files = scaffold::init_pipelines(&site).expect("init --pipelines");
    assert_eq!(files, [PathBuf::from(GITLAB), PathBuf::from(GITHUB)]);
    assert_eq!(
        read(&site, GITLAB),
        gitlab_text,
        "the same as `init` writes"
    );
    assert_eq!(read(&site, GITHUB), github_text);

    // Either file present: nothing written, the error names it, the file stays as it was.
    write(&site, GITLAB, "# ours\n");
    fs::remove_dir_all(site.join(".github")).unwrap();
    let e = scaffold::init_pipelines(&site).unwrap_err();
    assert!(
        e.contains(".gitlab-ci.yml") && e.contains("nothing was written"),
        "{e}"
    );
    assert_eq!(read(&site, GITLAB), "# ours\n");
    assert!(!site.join(GITHUB).exists(), "nothing written");
    fs::remove_file(site.join(GITLAB)).unwrap();
    write(&site, GITHUB, "# ours\n");
    let e = scaffold::init_pipelines(&site).unwrap_err();
    assert!(e.contains(GITHUB), "{e}");
    assert_eq!(read(&site, GITHUB), "# ours\n");
    assert!(!site.join(GITLAB).exists());

    // Not a site.
    let e = scaffold::init_pipelines(t.path()).unwrap_err();
    assert!(e.contains("no site.yaml"), "{e}");
}

/// A new folder holding only a repository's hidden files (a fresh clone with its own
/// pipeline) gets the site, and its own pipeline file is kept as it was.
#[test]
fn init_keeps_a_clones_own_pipeline_file() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("clone");
    write(&dir, ".git/HEAD", "ref: refs/heads/main\n");
    write(&dir, GITLAB, "# ours\n");
    let files = scaffold::init(&dir).unwrap();
    assert_eq!(read(&dir, GITLAB), "# ours\n");
    assert!(!files.contains(&PathBuf::from(GITLAB)));
    assert!(files.contains(&PathBuf::from(GITHUB)));
}

/// The pipelines' files, and the cargo folder the GitLab job caches inside the site, are
/// no part of the site: it builds and checks clean with them, and none is published.
#[test]
fn the_pipelines_and_their_cache_are_not_published() {
    let (_t, dir, _, _) = new_site();
    write(&dir, ".cargo/bin/vetrina", "#!/bin/sh\n");
    let r = check(&dir);
    assert!(r.diagnostics.is_empty(), "{}", rendered(&r));
    let r = build(&dir);
    assert!(r.diagnostics.is_empty(), "{}", rendered(&r));
    let out = dir.join("public");
    assert!(out.join("index.html").is_file());
    for (rel, _) in tree(&out) {
        let rel = rel.to_string_lossy().to_string();
        assert!(
            !rel.contains("gitlab") && !rel.contains(".github") && !rel.contains(".cargo"),
            "{rel} published"
        );
    }
}
