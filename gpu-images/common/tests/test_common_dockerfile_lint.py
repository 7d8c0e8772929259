"""The Dockerfile rules can fail: each one is shown failing on a bad Dockerfile and passing on a good one."""
from bascule_testkit.dockerfile_lint import instructions, lint

GOOD = """\
# syntax=docker/dockerfile:1
FROM python:3.11.9-slim@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa AS build
RUN pip install --no-cache-dir -r requirements.txt
FROM nvidia/cuda:12.3.2-cudnn9-runtime-ubuntu22.04@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
COPY --from=build /opt/venv /opt/venv
RUN useradd --uid 10001 app \\
    && mkdir /models
USER app
HEALTHCHECK --interval=30s CMD python3 -c "print(1)"
"""

BAD = """\
FROM ubuntu
FROM python:latest AS build
ADD https://example.org/model.bin /models/
RUN python -c "from transformers import X; X.from_pretrained('m')"
FROM build
USER root
"""


def rules(text):
    return sorted({f.rule for f in lint(text)})


def test_good_dockerfile_passes():
    assert lint(GOOD) == []


def test_bad_dockerfile_fails_every_rule():
    findings = lint(BAD)
    assert rules(BAD) == ["BAS001", "BAS002", "BAS003", "BAS004", "BAS005", "BAS006"]
    assert any(f.rule == "BAS001" and f.line == 1 for f in findings)


def test_each_rule_alone():
    assert rules(GOOD.replace("3.11.9-slim", "latest")) == ["BAS002"]
    assert rules(GOOD.replace("USER app", "USER 0")) == ["BAS003"]
    assert rules(GOOD.replace("USER app\n", "")) == ["BAS003"]
    assert rules(GOOD.replace('HEALTHCHECK --interval=30s CMD python3 -c "print(1)"', "HEALTHCHECK NONE")) == ["BAS004"]
    assert rules(GOOD + "ADD http://example.org/x.tgz /tmp/\n") == ["BAS005"]
    assert rules(GOOD.replace("nvidia/cuda:12.3.2-cudnn9-runtime-ubuntu22.04@sha256:" + "b" * 64, "nvidia/cuda")) == ["BAS001"]
    # A tag alone can be pushed again with other contents: only a digest pins the base.
    assert rules(GOOD.replace("@sha256:" + "b" * 64, "")) == ["BAS001"]


def test_a_user_or_healthcheck_in_an_earlier_stage_does_not_count():
    text = "FROM a:1@sha256:" + "a" * 64 + " AS x\nUSER app\nHEALTHCHECK CMD true\nFROM b:2@sha256:" + "b" * 64 + "\n"
    assert rules(text) == ["BAS003", "BAS004"]


def test_digest_pins_and_stage_references_are_accepted():
    text = "FROM img@sha256:" + "a" * 64 + " AS base\nFROM base\nUSER 10001\nHEALTHCHECK CMD true\n"
    assert lint(text) == []


def test_continuations_and_comments_are_joined():
    parsed = instructions("RUN a \\\n  # comment\n  && b\nUSER x\n")
    assert parsed == [(1, "RUN", "a && b"), (4, "USER", "x")]


SHARED = """\
FROM python:3.11.10-slim-bookworm@sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc AS base
RUN useradd --uid 10001 bascule
FROM base AS runtime
USER bascule
HEALTHCHECK CMD python -m bascule_common.healthcheck
FROM runtime AS whisper
CMD ["python", "-m", "whisper_service"]
FROM base AS bare
CMD ["python"]
"""


def test_a_target_inherits_user_and_healthcheck_from_the_stages_it_is_built_from():
    assert lint(SHARED, target="whisper") == []


def test_a_target_built_from_a_stage_without_them_fails():
    assert rules_of(lint(SHARED, target="bare")) == ["BAS003", "BAS004"]
    assert rules_of(lint(SHARED)) == ["BAS003", "BAS004"]  # the last stage by default


def rules_of(findings):
    return sorted({f.rule for f in findings})
