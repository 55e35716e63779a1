/** The help text of `lendos` and each of its commands. */

export const HELP: Readonly<Record<string, string>> = {
  '': `Usage: lendos <command> [options]

Commands:
  start    Start a release and make it the active one (lendos start 2025.4.0); --hotfix-of to fix one forward;
           lendos start dev starts a dev sync (Section 4, no release needed)
  plan     List the release's steps in runbook order
  status   Show the state of each step from the release's journal
  run      Run an automated step (lendos run prep.cut-release-branch)
  done     Mark a step done that was done by hand (lendos done staging.preflight --note "…")
  skip     Skip an optional step, saying why (lendos skip staging.upgrade.canton-restart --reason "…")
  reset    Set a step back to pending; its history stays in the journal
  report   The release's report from its journal: who did what, when, evidence, failures (Markdown or JSON)
  diagnose What went wrong with a failed upgrade step, and what to do (lendos diagnose production.upgrade.run)
  preflight Run the preflight checks of 2.1 (lendos preflight --pr 5830); no release needs to be started
  rehearse Start the rehearsal world alone (lendos rehearse --headless)
  values-tags check  Check the values-tags files' image tags in ECR (lendos values-tags check --env staging)

Options for every command:
  --workspace DIR   the lendos repository (default: the git root above the current directory)
  --world FILE      run against a rehearsal world (the world.json of lendos rehearse --headless)
  --help, -h        help for a command, e.g. lendos plan --help

Exit codes: 0 ok, 1 failure, 2 usage error.`,
  start: `Usage: lendos start <YYYY.R.H> [--hotfix-of YYYY.R.H] [--workspace DIR]
       lendos start dev [--workspace DIR]

Starts the release: records its start in .lendos/runs/<version>.jsonl (the journal the extension reads too), makes
it the active release, and prints the journal's path. A version that was already started is not started again:
continue it with lendos status / run / done (add --release VERSION when another release is active).
With --hotfix-of: fixes that release forward (Section 3.4). The version must be its next hotfix (2025.4.0 → 2025.4.1);
both journals name the other, and the report and status say so.
lendos start dev: the dev flow (Section 4: changelog, dev's tags, the Argo CD sync) in its own journal,
.lendos/runs/dev.jsonl, without a release. A sync in progress is continued; once the last one is done, a new one
begins (its steps are reset, their history kept). Its steps (dev.*) act on the dev flow wherever --release points.`,
  diagnose: `Usage: lendos diagnose <step-id> [--release YYYY.R.H|dev] [--workspace DIR]

Looks at a failed upgrade step read-only and prints what it found as Markdown (Section 3.4, "Common Issues"): for a
failed stage its Job's conditions, its pods' last lines and their events; for services that won't start the backends'
DAR lines, the stages' completion and the participant's log; for a failed data validation PQS's counts before and
after per template. Then what to do: rerun the stage, restart the backends on old DARs
(<env>.recovery.restart-backends), fix forward (lendos start --hotfix-of), or roll back (<env>.rollback.*).
Exit code 1 when the step has not failed or has no diagnosis.`,
  plan: `Usage: lendos plan [--release YYYY.R.H|dev] [--json] [--workspace DIR]

Lists every phase and step of the runbook for the release (default: the active release; with --release the release
need not be started). Each step's kind is automated (lendos run does it), manual or approval (lendos done). An
approval that "lendos run looks for" is found on the release PR: lendos run waits for it (Ctrl-C stops waiting),
--set wait=no looks once.
With --json: an array of steps {id, phase, environment, title, section, kind, optional, dependsOn, checkable?} in
runbook order.`,
  status: `Usage: lendos status [--release YYYY.R.H|dev] [--json] [--workspace DIR]

Shows the state and environment of each step, folded from .lendos/runs/<version>.jsonl (default: the active
release; a release named with --release while none is active becomes the active one, in the CLI and in VS Code).
Journal lines that were ignored, and why, are listed on stderr.
With --json: {version, startedAt, startedBy, journal, progress, current, warnings, steps[{id, environment, status, …}]}.`,
  run: `Usage: lendos run <step-id> [--release YYYY.R.H|dev] [--yes] [--confirm-environment NAME] [--set FIELD=VALUE]...
                  [--workspace DIR] [--world FILE]

Runs an automated step (see "lendos plan" for ids and kinds) with its output streamed here, recorded in the same
journal the extension uses. It first re-observes the world: work already done is adopted, not repeated.
  --yes                       confirm without asking and accept proposed form values
  --confirm-environment NAME  production steps need the environment name typed or given here; --yes is not enough
  --set FIELD=VALUE           set a value of the step's form instead of the proposed one (e.g. for
                              prep.upgrade-branch: --set to=0.1.93); a field the step does not ask for is refused
Exit code 0 when the step succeeded or was already done, 1 when it failed or was declined, 2 for usage errors.`,
  done: `Usage: lendos done <step-id> [--note TEXT] [--force] [--release YYYY.R.H|dev] [--workspace DIR]

Records that a manual or approval step was done by hand (the editor's Mark Done), with who did it.
  --note TEXT   what was done, or for an approval who approved and where it is recorded (required for approvals,
                e.g. --note "Luis, REL-123")
  --force       mark it done although the steps it depends on are not done; for an automated step, mark it done
                by hand instead of running it (lendos run adopts work that is already done)`,
  skip: `Usage: lendos skip <step-id> --reason TEXT [--release YYYY.R.H|dev] [--workspace DIR]

Skips an optional step (see "lendos plan": optional), recording why. Required steps cannot be skipped.
  --reason TEXT   why it is skipped (required), e.g. --reason "GC pressure is normal"`,
  preflight: `Usage: lendos preflight [--pr N] [--json] [--release YYYY.R.H|dev] [--workspace DIR] [--world FILE]

Runs the preflight checks of runbook 2.1 (what GitHub Actions runs on a release PR): read-only, no release needs to be
started, nothing is journalled.
  --pr N        check the release PR N (release/<version> → main) on GitHub: VERSION on its head is the release's, no
                generated code under services/portal-daml-upgrade/src/main/daml/Generated, the milestone named by the
                version has no open issues, a product approver (github.productApprovers) approved it.
                Without --pr: VERSION and generated code on the local release branch; the other two are skipped.
  --release V   the release version; default: the PR's head branch release/<version>, else the current branch,
                else VERSION
  --json        print {version, pr, url, headSha, checks[{check, status, detail, fix, evidence}], passed}
GitHub: GITHUB_TOKEN (or GH_TOKEN, or gh auth token); GITHUB_API_URL, as GitHub Actions sets it, names the API.
Exit code 0 when no check fails, 1 when one fails (or the PR cannot be read), 2 for usage errors.`,
  'values-tags': `Usage: lendos values-tags check [--env ENV] [--json] [--workspace DIR] [--world FILE]

Checks the image tags of an environment's values-tags file in the workloads clone (repositories.workloadsPath,
environments.<env>.valuesTagsFile) against ECR, as the editor does:
  error    a tag its ECR repository does not have (or no such repository), malformed YAML
  warning  a tag pushed before the one the active release recorded for that service (2.2)
  info     ECR could not be asked (credentials missing or expired, network): said once per file
Each is printed as file:line:col: severity: message, then a summary line.
  --env ENV   dev, staging or production (default: every environment's file)
  --json      print {release, files[{env, file, diagnostics[{line, column, severity, code, message, service, fix}]}],
              errors, warnings, notes}
AWS: the profile of lendos.aws.artifactsProfile (aws sso login --profile <profile> when it has expired).
Exit code 0 when there is no error, 1 when there is one, 2 for usage errors (an unknown environment).`,
  reset: `Usage: lendos reset <step-id> [--release YYYY.R.H|dev] [--workspace DIR]

Sets a step back to pending (to run or mark it again). Its history stays in the journal; a running step cannot be
reset.`,
  report: `Usage: lendos report [--release YYYY.R.H|dev] [--format md|json] [--out FILE] [--post] [--workspace DIR]

The release's audit report, from its journal: each phase's steps with who did them, when, how long and how many runs,
their key evidence (branches, SHAs, PRs, snapshot), the built image tags, and the failures and reruns. Markdown by
default, JSON with --format json; to stdout, or to FILE with --out. --post puts the Markdown report on the release PR
as a comment (the PR 2.1/2.2 recorded, else the release branch's), replacing the report posted there before.`,
};
