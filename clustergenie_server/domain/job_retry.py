"""Which jobs may be retried, and why not: one rule for the service, the API and the GUI."""

from __future__ import annotations

from clustergenie_server.domain.models import Job, JobKind, JobState

_ENDED_BADLY = (JobState.FAILED, JobState.CANCELLED)


def kind_refusal(job: Job) -> str | None:
    """Why a retry of this job can never succeed, judged from the job alone; None if it can.

    Not counted here: whether the job was retried already (Job.retried_as), and what became of
    its target since (a droplet destroyed meanwhile is refused when the retry is queued).
    """
    if job.state not in _ENDED_BADLY:
        return f"job {job.id} is {job.state.value}; only a failed or cancelled job can be retried"
    if job.kind is JobKind.PROVISION_DROPLET and job.state is JobState.CANCELLED:
        # A cancelled provision releases the droplet (it is archived), as a cloud drops an order.
        return (
            f"job {job.id} was a cancelled provision, which released droplet {job.target_name}; "
            "add a new droplet to the cluster instead"
        )
    return None


def is_retryable(job: Job) -> bool:
    """True when a retry of the job makes sense by its kind and end (it may be retried already)."""
    return kind_refusal(job) is None


def retry_refusal(job: Job) -> str | None:
    """Why RetryJob refuses the job (the kind rule, then "retried already"); None if it may."""
    if (reason := kind_refusal(job)) is not None:
        return reason
    if job.retried_as is not None:
        return (
            f"job {job.id} was already retried as job #{job.retried_as}; "
            f"follow job {job.retried_as} instead (retry that one if it failed too)"
        )
    return None
