"""What every benchmark here measures the same way."""
from __future__ import annotations

import resource


def peak_mb() -> float:
    """This process's peak RSS (VmHWM). ru_maxrss is not used: Linux carries it over exec
    from the parent, so a child started by a big parent would report the parent's peak."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
