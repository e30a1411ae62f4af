"""The CLI, the control surface and the request counters."""

from __future__ import annotations

import json
import signal
import time
import urllib.request
from pathlib import Path

from conftest import Sandbox, start_server, stop_server, training_job_request, wait_for
from zerostack_sandbox.stats import LOG_LIMIT, RequestStats


def test_health(sandbox: Sandbox) -> None:
    health = sandbox.get("health")
    assert health["ok"] is True and health["version"]


def test_serve_prints_ready_line_writes_state_and_stops_on_sigterm(tmp_path: Path) -> None:
    process, url = start_server(args=["--state-dir", str(tmp_path)])
    try:
        assert url.startswith("http://127.0.0.1:") and not url.endswith(":0")
        document = json.loads((tmp_path / "server.json").read_text())
        assert document["url"] == url and document["pid"] == process.pid
        with urllib.request.urlopen(f"{url}/_zerostack/health", timeout=5) as response:
            assert json.loads(response.read())["ok"] is True
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
        assert not (tmp_path / "server.json").exists()
    finally:
        stop_server(process)


def test_scenario_from_environment(tmp_path: Path) -> None:
    scenario = {"training": {"training_s": 42}, "endpoint": {"creating_s": 7}}
    process, url = start_server(extra_env={"ZEROSTACK_SANDBOX_SCENARIO": json.dumps(scenario)})
    try:
        sandbox = Sandbox(url)
        current = sandbox.get("scenario")
        assert current["training"]["training_s"] == 42 and current["endpoint"]["creating_s"] == 7
        sandbox.post("scenario", {})
        sandbox.post("reset")
        assert sandbox.get("scenario")["training"]["training_s"] == 42  # reset goes back to the env default
    finally:
        stop_server(process)


def test_bad_control_requests_say_what_is_wrong(sandbox: Sandbox) -> None:
    status, answer = sandbox.control("POST", "scenario", {"training": {"trainig_s": 1}})
    assert status == 400 and "trainig_s" in answer["error"]
    status, answer = sandbox.control("POST", "scenario", {"training": {"fail_at": "Compiling"}})
    assert status == 400 and "fail_at" in answer["error"]
    status, answer = sandbox.control("POST", "clock", {"speed": 0})
    assert status == 400
    status, answer = sandbox.control("GET", "nope")
    assert status == 404 and "known" in answer["error"]


def test_clock_speed_and_advance(sandbox: Sandbox) -> None:
    before = sandbox.get("clock")["epoch_seconds"]
    after = sandbox.post("clock", {"speed": 50, "advance": 100})
    assert after["speed"] == 50 and after["epoch_seconds"] >= before + 100


def test_state_summary(sandbox: Sandbox) -> None:
    sandbox.client("s3").create_bucket(Bucket="zerostack-bucket")
    sandbox.client("sagemaker").create_training_job(**training_job_request("counted"))
    state = sandbox.get("state")
    assert state["buckets"] == 1
    assert state["training_jobs"] == {"total": 1, "by_status": {"InProgress": 1}}
    sandbox.post("reset")
    assert sandbox.get("state")["training_jobs"]["total"] == 0


def test_stats_count_s3_uploads(sandbox: Sandbox) -> None:
    s3 = sandbox.client("s3")
    s3.create_bucket(Bucket="zerostack-bucket")
    s3.put_object(Bucket="zerostack-bucket", Key="code/sourcedir.tar.gz", Body=b"x" * 1000)
    s3.put_object(Bucket="zerostack-bucket", Key="code/other", Body=b"y" * 24)
    s3.head_object(Bucket="zerostack-bucket", Key="code/other")
    stats = sandbox.get("stats")
    assert stats["s3"]["put_object_count"] == 2
    assert stats["s3"]["put_object_bytes"] == 1024
    assert stats["requests"]["s3:CreateBucket"] == 1
    assert stats["requests"]["s3:HeadObject"] == 1
    sandbox.client("sagemaker").list_training_jobs()
    assert sandbox.get("stats")["requests"]["sagemaker:ListTrainingJobs"] == 1
    assert sandbox.post("stats/reset")["s3"]["uploaded_bytes"] == 0


def test_request_log_gives_each_arrival_with_its_operation(sandbox: Sandbox) -> None:
    before = time.time()
    s3 = sandbox.client("s3")
    s3.create_bucket(Bucket="zerostack-bucket")
    sandbox.client("sagemaker").create_training_job(**training_job_request("logged"))
    after = time.time()
    sandbox.client("sagemaker").list_training_jobs()

    [created] = sandbox.get("requests?operation=CreateTrainingJob")["requests"]
    assert created["service"] == "sagemaker"
    assert created["target"] == "SageMaker.CreateTrainingJob"
    assert before <= created["at"] <= after  # the wall clock at arrival
    everything = sandbox.get("requests")["requests"]
    assert [entry["operation"] for entry in everything] == ["CreateBucket", "CreateTrainingJob", "ListTrainingJobs"]
    assert [entry["at"] for entry in everything] == sorted(entry["at"] for entry in everything)
    assert sandbox.get("requests?service=S3")["requests"] == everything[:1]
    assert sandbox.get(f"requests?since={created['at']}")["requests"] == everything[1:]
    status, document = sandbox.control("GET", "requests?since=yesterday")
    assert status == 400 and "since: expected epoch seconds" in document["error"]
    sandbox.post("stats/reset")
    assert sandbox.get("requests")["requests"] == []


def test_request_log_keeps_only_the_last_requests() -> None:
    log = RequestStats()
    for number in range(LOG_LIMIT + 5):
        log.record({"REQUEST_METHOD": "GET", "PATH_INFO": f"/{number}"}, arrived_at=float(number))
    kept = log.arrivals()
    assert len(kept) == LOG_LIMIT
    assert kept[0]["at"] == 5.0 and kept[-1]["at"] == float(LOG_LIMIT + 4)


def test_patches_are_listed(sandbox: Sandbox) -> None:
    patches = sandbox.get("patches")
    names = {patch["name"] for patch in patches}
    assert {"CreateTrainingJob", "StopTrainingJob", "UpdateEndpoint", "InvokeEndpoint"} <= names
    assert all(patch["why"] and patch["source"] and patch["test"] for patch in patches)


def test_state_dir_keeps_aws_state_across_restarts(tmp_path: Path) -> None:
    process, url = start_server(args=["--state-dir", str(tmp_path)])
    try:
        sandbox = Sandbox(url)
        sandbox.client("s3").create_bucket(Bucket="zerostack-bucket")
        sandbox.client("s3").put_object(Bucket="zerostack-bucket", Key="code/a", Body=b"abc")
        sandbox.client("sagemaker").create_training_job(**training_job_request("survivor"))
        sandbox.post("clock", {"advance": 6})  # into Training: some log lines exist
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        stop_server(process)
    assert (tmp_path / "state.pickle").exists()

    process, url = start_server(args=["--state-dir", str(tmp_path)])
    try:
        sandbox = Sandbox(url)
        body = sandbox.client("s3").get_object(Bucket="zerostack-bucket", Key="code/a")["Body"].read()
        assert body == b"abc"
        sandbox.post("clock", {"advance": 30})
        job = sandbox.client("sagemaker").describe_training_job(TrainingJobName="survivor")
        assert job["TrainingJobStatus"] == "Completed"
        events = sandbox.client("logs").filter_log_events(logGroupName="/aws/sagemaker/TrainingJobs")["events"]
        assert len({event["eventId"] for event in events}) == len(events)
    finally:
        stop_server(process)


def test_state_is_saved_while_running_so_a_killed_server_keeps_it(tmp_path: Path) -> None:
    process, url = start_server(args=["--state-dir", str(tmp_path)])
    try:
        Sandbox(url).client("s3").create_bucket(Bucket="kept-bucket")
        wait_for(lambda: (tmp_path / "state.pickle").exists(), timeout_s=10)
        process.kill()
        process.wait(timeout=10)
    finally:
        stop_server(process)
    process, url = start_server(args=["--state-dir", str(tmp_path)])
    try:
        names = [b["Name"] for b in Sandbox(url).client("s3").list_buckets()["Buckets"]]
        assert names == ["kept-bucket"]
    finally:
        stop_server(process)
