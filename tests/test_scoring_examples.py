"""The example profiles against the real knowledge base: recommendations an MLOps engineer would defend, with their reasons."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.knowledge import load_knowledge
from generator.profile import load_profile
from generator.scoring import assess

PROFILES = Path(__file__).resolve().parent.parent / "data" / "profiles"


@pytest.fixture(scope="module")
def kb():
    return load_knowledge()


def _assess(kb, name):
    return assess(load_profile(PROFILES / f"{name}.yaml", known_frameworks=tuple(kb.frameworks)), kb)


def _has(reasons, start):
    return any(r.startswith(start) for r in reasons)


def test_no_kubernetes_startup_gets_mlflow_because_kubeflow_needs_a_cluster(kb):
    """Three people, no cluster, no Kubernetes skill: MLflow, clearly; Kubeflow is out for want of a cluster."""
    rec = _assess(kb, "startup-no-kubernetes").recommendation
    assert rec.stack == ("mlflow",) and rec.verdict == "clear"
    assert _has(
        rec.reasons,
        "Kubeflow is ruled out: Infrastructure fit is 1 of 5 here, so it needs infrastructure the team does not have "
        "(No Kubernetes cluster and no Kubernetes skill in the team:",
    )


def test_air_gapped_bank_gets_kubeflow_with_mlflow_for_tracking(kb):
    """On-prem, air-gapped, open source only, must orchestrate and track: Kubeflow with MLflow covering tracking."""
    a = _assess(kb, "bank-onprem-airgapped")
    rec = a.recommendation
    assert rec.stack[:2] == ("kubeflow", "mlflow")
    assert _has(rec.reasons, "MLflow covers experiment tracking for Kubeflow")
    assert any("Air-gapped: the environment has no internet access" in r for r in rec.reasons)
    assert {k.framework for k in a.knockouts if k.rule == "air-gapped"} >= {"sagemaker", "vertex_ai", "azure_ml"}


def test_gpu_platform_that_must_train_distributed_gets_kubeflow_with_mlflow(kb):
    """Experts on their own cluster with many GPUs and distributed training: Kubeflow, MLflow for tracking."""
    rec = _assess(kb, "gpu-platform-distributed").recommendation
    assert rec.primary == "kubeflow" and "mlflow" in rec.stack
    assert _has(rec.reasons, "MLflow covers experiment tracking for Kubeflow")


def test_gcp_managed_first_team_gets_vertex_ai(kb):
    """A Google Cloud team that prefers managed services: Vertex AI, because it costs them nothing to run."""
    rec = _assess(kb, "gcp-managed-first").recommendation
    assert rec.stack == ("vertex_ai",)
    assert any("Managed services preferred" in r for r in rec.reasons)


def test_aws_managed_first_fraud_team_gets_sagemaker(kb):
    """An AWS team that prefers managed services and must serve online: SageMaker first."""
    rec = _assess(kb, "aws-fraud-detection").recommendation
    assert rec.primary == "sagemaker"
    assert _has(rec.reasons, "Model serving carries")


def test_azure_enterprise_gets_azure_ml(kb):
    """Azure, no cluster, governance a must: Azure ML; Kubeflow needs a cluster, MLflow and ClearML fall short on governance."""
    rec = _assess(kb, "azure-enterprise").recommendation
    assert rec.stack == ("azure_ml",)
    assert _has(rec.reasons, "Kubeflow is ruled out: Infrastructure fit is 1 of 5 here")
    assert any("cannot meet the must need governance and security" in r for r in rec.reasons)


def test_llm_app_team_gets_mlflow_or_wandb(kb):
    """A small team whose must is LLM operations: MLflow or W&B, for their tracing and evaluation."""
    rec = _assess(kb, "llm-app-team").recommendation
    assert rec.primary in ("mlflow", "wandb")
    assert _has(rec.reasons, "LLM operations carries") or _has(rec.reasons, "Ease of use carries")


def test_open_source_research_lab_gets_dvc_with_mlflow(kb):
    """Open source only, no cluster, data versioning and tracking both musts: MLflow and DVC together."""
    rec = _assess(kb, "research-lab-open-source").recommendation
    assert set(rec.stack) == {"mlflow", "dvc"}
    assert _has(rec.reasons, "DVC (Data Version Control) covers data versioning for MLflow") or _has(
        rec.reasons, "MLflow covers experiment tracking for DVC"
    )


@pytest.mark.parametrize("path", sorted(PROFILES.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_shortlisted_framework_is_ranked_and_the_pick_is_explained(kb, path):
    """No framework is silently dropped; the pick comes with three to six reasons and a verdict."""
    profile = load_profile(path, known_frameworks=tuple(kb.frameworks))
    a = assess(profile, kb)
    assert sorted(r.framework for r in a.ranking) == sorted(profile.frameworks)
    assert [r.rank for r in a.ranking] == list(range(1, len(a.ranking) + 1))
    rec = a.recommendation
    assert rec.primary and rec.verdict in ("clear", "leaning", "too_close", "only_viable")
    assert 3 <= len(rec.reasons) <= 6
    assert all(not r.knocked_out for r in a.ranking if r.framework in rec.stack and r.framework == rec.primary)
