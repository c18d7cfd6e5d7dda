"""Changing the mirror's pages the ways real pages change, for the property tests of the page
objects: sections moved, repeated or dropped, and the hypothesis settings those tests share."""

import copy

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

SETTINGS = settings(max_examples=100, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def children_with_class(root, name: str):
    return root.xpath(f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {name} ')]")


def rearranged(elements: list, order: list[int]) -> None:
    """Put copies of `elements` where the first of them was, in `order`; an index may repeat
    (a duplicated section) or be left out (a dropped one)."""
    if not elements:
        return
    parent = elements[0].getparent()
    position = parent.index(elements[0])
    copies = [copy.deepcopy(elements[i]) for i in order]
    for element in elements:
        element.getparent().remove(element)
    for offset, element in enumerate(copies):
        parent.insert(position + offset, element)


orders = st.lists(st.integers(0, 20), max_size=14)
