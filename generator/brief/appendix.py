"""The back of the brief: glossary, method, full score matrix and sources."""

from __future__ import annotations

import re

from generator.brief.context import _Ctx, _bullets, _p, moved_by, pct
from generator.brief.scores import _criteria_order, _matrix
from generator.document import Block, SourceList, SourceRef, Table, Text
from generator.scoring.assessment import IDLE_CAUSE, idle_knockout
from generator.wording import THIS_FRAMEWORK, after_colon, count, join_and, ordinal

APPENDIX_COLUMNS = 7  # frameworks per appendix table: more would squeeze names below one word per line

GLOSSARY = (
    ("DVC", "Data Version Control: versions datasets and models alongside the code."),
    ("W&B", "Weights & Biases, an experiment-tracking service."),
    ("Azure ML", "Azure Machine Learning, Microsoft's managed ML platform."),
    ("Agent Platform", "Gemini Enterprise Agent Platform, Google Cloud's managed ML platform, named Vertex AI until 2026; its Python package and documentation paths keep the old name."),
    ("TOPSIS", "A second ranking method used as a cross-check: it ranks options by their closeness to an ideal option that is best on every criterion."),
    ("MoSCoW", "The scale for the team's needs: must have, should have, could have, won't have."),
    ("Kubernetes", "The container platform many ML workflow tools run on; running it takes dedicated skill."),
    ("KServe", "The model-serving component used with Kubeflow on Kubernetes."),
    ("Katib", "Kubeflow's hyperparameter tuning component."),
    ("KFP", "Kubeflow Pipelines, Kubeflow's pipeline component and its Python SDK."),
    ("Kueue", "A Kubernetes job queue that decides when batch jobs such as training runs start and on which resources."),
    ("Argo Workflows", "A Kubernetes engine that runs multi-step workflows as containers; Kubeflow Pipelines runs on it."),
    ("Istio", "A service mesh for Kubernetes that routes, encrypts and authorises traffic between services; Kubeflow uses it for access control."),
    ("Dex", "An open-source login service that lets Kubeflow sign people in through the organisation's identity provider."),
    ("Knative", "A Kubernetes add-on that runs services which scale with demand, down to zero; KServe can use it for serving."),
    ("cert-manager", "A Kubernetes add-on that issues and renews the TLS certificates services use."),
    ("Helm", "The package manager for Kubernetes: a chart installs an application with its settings in one step."),
    ("kustomize", "A Kubernetes tool that builds deployment files from a base and per-site changes; Kubeflow's manifests use it."),
    ("Hyperband", "A tuning method that starts many trials on a small budget and gives more only to the most promising ones."),
    ("NAS", "Neural architecture search: an automated search for a model's structure, not only its settings."),
    ("Optuna", "An open-source Python library for hyperparameter tuning."),
    ("Ray", "An open-source framework that spreads Python work, such as training and tuning, over many machines."),
    ("Spark", "Apache Spark, an engine for processing large data sets across a cluster of machines."),
    ("Slurm", "The job scheduler most research computing clusters use to share machines and GPUs."),
    ("lakeFS", "An open-source tool that versions data in object storage with Git-like branches and commits."),
    ("Databricks", "A commercial data and ML platform built on Spark, with a managed MLflow."),
    ("Azure Arc", "Microsoft's service for managing servers and Kubernetes clusters outside Azure as if they were in it."),
    ("AKS", "Azure Kubernetes Service, Microsoft's managed Kubernetes."),
    ("BYOC", "Bring your own cloud: the vendor runs the control plane and the work runs in the customer's own cloud account."),
    ("GCP", "Google Cloud Platform, Google's public cloud."),
    ("IAM", "Identity and access management: the cloud service that decides who may do what."),
    ("S3", "Amazon S3, AWS's object storage service."),
    ("TFX", "TensorFlow Extended, Google's framework for production ML pipelines built around TensorFlow."),
    ("VPC", "Virtual private cloud: a private network inside a cloud account, closed to other customers."),
    ("SDK", "Software development kit: the library a program uses to work with a tool or service."),
    ("CLI", "Command-line interface: the commands a tool offers for use in a terminal or a script."),
    ("LLM", "Large language model: a model trained on vast amounts of text to read and write language."),
    ("JAX", "Google's Python library for numerical computing and machine learning on GPUs and TPUs."),
    ("ONNX", "Open Neural Network Exchange: an open file format for trained models that many tools can run."),
    ("MPI", "Message Passing Interface: the standard way processes on several machines exchange data in distributed training."),
    ("KEP", "Kubeflow Enhancement Proposal: the Kubeflow project's written design proposal for a change."),
    ("GA", "General availability: a release the vendor declares ready for production use."),
    ("OSI", "Open Source Initiative: the body whose approved licences define open source."),
    ("SSPL", "Server Side Public License: a licence whose source is public but which the Open Source Initiative does not accept as open source."),
    ("SOC 2", "An independent auditor's report on a service provider's security, availability and confidentiality controls (Type 2: tested over months)."),
    ("TPU", "Tensor Processing Unit: Google's own chip for machine learning, rented through Google Cloud."),
    ("HIPAA", "The US law that sets rules for protecting health information."),
    ("LF AI & Data", "The Linux Foundation's home for open-source AI and data projects, which gives them neutral governance."),
    ("DAG", "Directed acyclic graph: a pipeline's steps and the order in which they depend on each other."),
    ("SSO", "Single sign-on: people log in once, through the organisation's identity provider."),
    ("OIDC", "OpenID Connect, the standard most single sign-on logins use."),
    ("RBAC", "Role-based access control: permissions granted to roles rather than to each person."),
    ("CVE", "A published security vulnerability with a public identifier (Common Vulnerabilities and Exposures)."),
    ("air-gapped", "An environment with no connection to the internet; software must be installed from local copies."),
    ("companion", "A second tool that covers a need the main framework does not, used together as one option."),
    ("proof of concept", "A short, time-boxed trial on one real model that tests the recommendation before committing."),
    ("must-have", "A need every option has to meet; an option that cannot meet it is ruled out."),
    ("robustness", "The share of random re-weightings of the criteria in which the recommendation stays ahead of every option "
     "built on another framework; its own variants, with other companions or none, do not count against it."),
    ("MLOps", "The practice of running machine-learning models in production: training pipelines, tracking, registry, serving and monitoring."),
    ("model registry", "A catalogue of trained models with their versions, lineage and approval status."),
    ("experiment tracking", "Recording the parameters, metrics and artefacts of every training run so results can be compared and reproduced."),
    ("FastAPI", "A Python web framework for HTTP services; MLflow's default model server and Flyte's model apps answer prediction requests through it."),
    ("MLServer", "An open-source model inference server; MLflow's option to serve models with it is deprecated."),
    ("Recipes", "MLflow Recipes: ready-made project templates for a model's steps, removed in MLflow 3.0."),
    ("kfp.local", "The local mode of the Kubeflow Pipelines SDK: runs pipeline steps on a laptop without a cluster, for development only (no caching, retries or resource settings)."),
    ("workspace", "A separate area per team on one server: in MLflow an opt-in scope for a team's experiments, models and prompts; Azure ML and ZenML use the word for their own per-team areas."),
)

# Terms that are ordinary words in lower case ("documentation recipes"): only the capitalised name is the term.
CASE_SENSITIVE_TERMS = {"Recipes"}

# Plain-language terms defined in the technical brief only; the short brief keeps to names and methods.
EVERYDAY_TERMS = {"companion", "proof of concept", "must-have", "robustness", "MLOps", "model registry", "experiment tracking"}


# A term ends where no letter, digit or underscore follows (a plural "s" may): "CVE" is in "CVE-2026-1186".
_TERM_ENDS = {term: re.compile(re.escape(term.lower()) + r"s?(?![a-z0-9_])") for term, _ in GLOSSARY}


def _appositive(name: str) -> str:
    """A name with an aside ("Kubeflow + DVC, the same main framework with another companion") closed by a comma, so
    the sentence it sits in reads on."""
    return f"{name}," if ", " in name else name


def _uses(lowered: str, term: str) -> bool:
    """Whether the brief uses ``term`` as a whole word (or its plural): "DAG" is not in "Dagster"."""
    if term.lower() not in lowered:  # the common case, and a fast one
        return False
    return any(
        m.start() == 0 or not (lowered[m.start() - 1].isalnum() or lowered[m.start() - 1] in "_-")
        for m in _TERM_ENDS[term].finditer(lowered)
    )


def _glossary(ctx: _Ctx, text: str) -> list[Block]:
    lowered = text.lower()
    rows = tuple(
        (term, meaning)
        for term, meaning in GLOSSARY
        if _uses(lowered, term) and (ctx.technical or term not in EVERYDAY_TERMS)
        and (term not in CASE_SENSITIVE_TERMS or re.search(rf"\b{re.escape(term)}\b", text))
    )
    if not rows:
        return [_p("No specialist terms are used.")]
    return [Table(("Term", "Meaning"), rows, widths=(1.1, 5.9))]


def _rule_fact(ctx: _Ctx, rule) -> str:
    """A rule's reason as a fact of this brief: a rule written for "this framework" names the frameworks it moved
    here ("Kubeflow and Flyte: ..., and each of them runs ...")."""
    reason = rule.reason.strip()
    if not THIS_FRAMEWORK.search(reason):
        # A reason about "this platform" or "a framework built for them" says here which frameworks it moved.
        moved = moved_by(ctx, rule.id, ctx.a.cells.values())
        return f"{reason.rstrip('.')}; here it {moved}." if moved else reason
    moved = sorted({c.framework for c in ctx.a.cells.values() if rule.id in c.rules}, key=ctx.name)
    if len(moved) == 1:
        return THIS_FRAMEWORK.sub(ctx.name(moved[0]), reason)
    names = join_and([ctx.name(f) for f in moved]) or "Frameworks"
    return f"{names}: {after_colon(THIS_FRAMEWORK.sub('each of them', reason))}"


def _methodology(ctx: _Ctx) -> list[Block]:
    a, sens = ctx.a, ctx.a.sensitivity
    rule_ids = sorted({rid for cell in a.cells.values() for rid in cell.rules})
    rules = {r.id: r for r in ctx.kb.rules}
    blocks: list[Block] = [
        _p(
            "Weights come from the team's stated needs: each need's MoSCoW level (must, should, could, won't have) gives a raw weight, "
            "facts about the team and infrastructure raise or lower quality criteria, the project's goals raise the criteria "
            "they name, explicit priorities override all of these, and the result is scaled so the weights add up to 100%."
            + (
                f" The {count(len(a.profile.stakeholders))} stakeholders' weights are each derived the same way, with their "
                "own priorities, and combined by their weighted geometric mean."
                if len(a.profile.stakeholders) > 1
                else ""
            )
        ),
        _p(
            "Each framework has a sourced level from 0 to 5 per criterion; facts about this team, and its preferences, "
            "can move a level. "
            "An option's total is the weighted sum scaled to 0-100. An option is a framework alone or a framework with "
            "companions that cover needs it lacks; a combination is built only on a framework that itself does one of the "
            "team's must- or should-have needs (3 of 5 or more) at least as well as its companions. A framework that cannot meet a must-have need, alone or with a "
            "companion, that breaks a hard constraint, that does not fit the team's infrastructure (infrastructure fit "
            "1 of 5 or less on the facts about this team alone: a preference, such as avoiding lock-in, lowers a score but "
            "rules nothing out) or that cannot work beside a tool the team keeps is ruled out with its reason."
            + (
                f" So is a framework that {IDLE_CAUSE} (3 of 5 or more on none): "
                "it would be adopted for none of the needs the team rates a must or a should."
                if any(idle_knockout(k) for k in a.knockouts)
                else ""
            )
        ),
        _p(
            "Cross-check: TOPSIS (closeness to an ideal option) "
            + ("ranks the same option first" if a.methods_agree else f"ranks {_appositive(ctx.cross_check_leader())} first")
            + (f" and the recommendation {ordinal(r)} of {len(ctx.options.viable)} options" if (r := ctx.cross_check_rank(sens.leader)) > 1 else "")
            + "."
            + f" Robustness: in {count(sens.samples)} trials every weight was multiplied by a random factor between 0.5 and 1.5 "
            f"and the weights rescaled (random state {sens.seed}); the share of trials in which the recommendation stays ahead "
            f"of {sens.rivals} is {pct(sens.robustness)}."
        ),
    ]
    facts = [r for r in rule_ids if r in rules and not rules[r].preference]
    wishes = [r for r in rule_ids if r in rules and rules[r].preference]
    if facts:
        blocks.append(_p(Text("Facts about this team that moved scores or weights", bold=True)))
        blocks.append(_bullets(f"{_rule_fact(ctx, rules[r])}{ctx.cite(rules[r].sources)}" for r in facts))
    if wishes:
        # A wish is not a fact: it lowers scores, and the reader should see that it rules nothing out.
        blocks.append(_p(Text("Preferences that moved scores", bold=True), " (a preference moves a score but rules no framework out):"))
        blocks.append(_bullets(f"{_rule_fact(ctx, rules[r])}{ctx.cite(rules[r].sources)}" for r in wishes))
    blocks.append(_p(
        "Knowledge base: the sources this brief cites are listed at the end with the date each states and the day "
        "it was read, and the knowledge base's exact version is in their last line. Facts whose evidence is more "
        "than a year older than this brief are marked with the year of their evidence.",
        style="small",
    ))
    return blocks


def _appendix(ctx: _Ctx) -> list[Block]:
    criteria = _criteria_order(ctx)
    opts = list(ctx.options.viable)
    out = list(ctx.options.ruled_out)
    columns = [("o", o) for o in opts] + [("k", f) for f in out]
    chunks = [columns[i : i + APPENDIX_COLUMNS] for i in range(0, len(columns), APPENDIX_COLUMNS)]
    tables: list[Block] = []
    for n, chunk in enumerate(chunks, 1):
        label = f"Part {n} of {len(chunks)}: scores 0-5 for every criterion." if len(chunks) > 1 else "Scores 0-5 for every criterion."
        tables.append(_matrix(ctx, [o for k, o in chunk if k == "o"], criteria, label, [f for k, f in chunk if k == "k"], opts))
    return tables


def _sources(ctx: _Ctx) -> list[Block]:
    refs = []
    for sid, n in sorted(ctx.cited.items(), key=lambda kv: kv[1]):
        s = ctx.kb.sources[sid]
        url = s.url if s.url.startswith("https://") else ""
        refs.append(SourceRef(f"[{n}]", s.title, s.publisher, url, s.tier, s.published, s.retrieved, s.released))
    # The exact versions belong with the evidence, not on page 1: a reader who wants to reproduce the
    # brief finds them here, and the decision record carries them too.
    reproduce = _p(f"Reproducible with {ctx.provenance}.", style="note")
    if not refs:
        return [_p("No sources were cited."), reproduce]
    return [SourceList(tuple(refs)), _p(_source_dates(ctx), style="note"), reproduce]


def _source_dates(ctx: _Ctx) -> str:
    """When the listed sources were read and the newest date they state, from those sources only: the
    knowledge base holds many more, whose dates say nothing about this brief's evidence."""
    listed = [ctx.kb.sources[sid] for sid in ctx.cited]
    read = sorted({s.retrieved for s in listed})
    dated = sorted(s.date for s in listed if s.date)
    undated = len(listed) - len(dated)
    if len(listed) == 1:
        subject, when = "The one source listed", f"was read on {read[0]}"
    else:
        subject = f"The {count(len(listed))} sources listed"
        when = f"were all read on {read[0]}" if len(read) == 1 else f"were read between {read[0]} and {read[-1]}"
    if not dated:
        return f"{subject} {when}; {'it states no date' if len(listed) == 1 else 'none of them states a date'}."
    rest = f" ({count(undated)} {'is an undated page' if undated == 1 else 'are undated pages'})" if undated else ""
    newest = "the date it states is" if len(listed) == 1 else "the newest date any of them states is"
    return f"{subject} {when}; {newest} {dated[-1]}{rest}."
