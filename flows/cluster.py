"""The local Dask cluster of ``recover flow batch --task-runner dask``: started only when the batch is worth it.

It has one worker process per core but one (the command's own process works alongside them,
``recover.flows.batch``). Its address is fixed before it starts (so the flow's ``DaskTaskRunner``
can be given it), it starts in a background thread while the batch goes on, and as soon as its
worker processes are up they import what the documents need (Prefect, the pipeline, Great
Expectations when validating; ``warm_worker``), so the first chunk finds them ready. Closing
it ends its processes. No Prefect import here.
"""

from __future__ import annotations

import concurrent.futures
import os
import socket

#: Worker processes of the local Dask cluster (one thread each): a core each, but one for this process.
DEFAULT_LOCAL_WORKERS = max(1, (os.cpu_count() or 2) - 1)
#: Seconds a closing cluster waits for its workers to finish warming up.
DEFAULT_WARM_SECONDS = 60


def warm_worker(validation: bool) -> None:
    """Import in a Dask worker what its documents will need, before they arrive."""
    import recover.extractors
    import recover.flows.batch
    import recover.publish  # noqa: F401

    if validation:
        from recover import validate

        validate._gx()


def _start(validation: bool, port: int, workers: int):
    import dask
    import distributed

    # Dask's nannies set MALLOC_TRIM_THRESHOLD_=65536 in their workers, which turns off glibc's adaptive
    # trim threshold: a document whose solver allocates a lot then spends most of its time in the kernel
    # (3x slower here). Our workers are short-lived, so they keep glibc's default.
    with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
        cluster = distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            scheduler_port=port,
            dashboard_address=None,
        )
    try:
        client = distributed.Client(cluster, set_as_default=False)
        # one warming task per worker, not waited for: a worker's first chunk queues behind it
        # (kept referenced, or Dask would drop it)
        warming = [
            client.submit(warm_worker, validation, workers=[w], allow_other_workers=False, pure=False)
            for w in client.scheduler_info()["workers"]
        ]
    except BaseException:
        cluster.close()
        raise
    return cluster, client, warming


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalCluster:
    """A local Dask cluster at a known address, started on demand in a background thread; ``close`` ends it."""

    def __init__(self, validation: bool, workers: int = DEFAULT_LOCAL_WORKERS) -> None:
        self.validation = validation
        self.workers = workers
        self.address = f"tcp://127.0.0.1:{_free_port()}"
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None
        self._future: concurrent.futures.Future | None = None
        self._closed = False

    def start(self) -> None:
        """Start the cluster in the background (once); ``ready`` tells when its scheduler and workers are up."""
        if self._future is None and not self._closed:
            port = int(self.address.rsplit(":", 1)[1])
            self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="recover-dask-start")
            self._future = self._pool.submit(_start, self.validation, port, self.workers)

    @property
    def started(self) -> bool:
        return self._future is not None

    def ready(self) -> bool:
        """Return whether the cluster is up (False for good if it failed to start: see ``failure``)."""
        return self._future is not None and self._future.done() and self._future.exception() is None

    @property
    def failure(self) -> BaseException | None:
        """The reason the cluster could not start, if it could not."""
        if self._future is None or not self._future.done():
            return None
        return self._future.exception()

    def close(self) -> None:
        """Close the client and the cluster (its worker processes exit), even if it is still starting; once."""
        if self._closed or self._future is None:
            self._closed = True
            return
        self._closed = True
        assert self._pool is not None  # started with the future
        try:
            cluster, client, warming = self._future.result()
        except Exception:
            return
        finally:
            self._pool.shutdown(wait=True)
        for future in warming:  # a worker stopped in the middle of its imports complains at length
            try:
                future.result(timeout=DEFAULT_WARM_SECONDS)
            except Exception:
                pass
        client.close()
        cluster.close()
        # The workers were spawned through multiprocessing, which started its resource tracker process; it
        # would outlive this process by a moment and be left for init to reap. Stop and reap it now (it is
        # started again if anything spawns later).
        from multiprocessing import resource_tracker

        stop = getattr(resource_tracker._resource_tracker, "_stop", None)
        if stop is not None:
            try:
                stop()
            except Exception:
                pass
