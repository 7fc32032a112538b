"""Counts that stay cheap however long the lists grow.

Django's Paginator counts every matching row to print "Page 1 of N". On a list of 100,000
claims that count alone costs more than rendering the page. CappedPaginator counts at most
`cap` rows, or as far as the page asked for plus one more page: the first pages of a huge
list say "More than 10,000 claims" and "Page 1 of 201+", and any page number can still be
reached by following Next.
"""

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Func, IntegerField, QuerySet, Subquery
from django.utils.functional import cached_property

from claims.listing import data_version
from claims.models import Verdict


def subquery_count(queryset):
    """A Subquery counting `queryset`'s rows (filtered on OuterRef), for annotate().

    Unlike Count() over a join, which groups every row before a LIMIT can apply, the
    database evaluates it only for the rows it returns: 25 sources of a page, not 2,500.
    """
    # COUNT(*), not COUNT(id): an index without the id column can then answer it alone.
    count = Func(template="COUNT(*)", output_field=IntegerField())
    counted = queryset.order_by().annotate(n=count).values("n")
    return Subquery(counted, output_field=IntegerField())


class CappedCount(Subquery):
    """COUNT(*) of at most cap + 1 rows of `queryset`, for annotate() or alias().

    The queryset may refer to the outer row (OuterRef): then each row gets its own count, and
    each count stops reading after cap + 1 rows, however many there are. A result above `cap`
    means "more than cap".
    """

    # Subquery strips the parentheses of the inner SELECT; a derived table with LIMIT is
    # what lets the database stop early (COUNT over a join or a plain correlated COUNT reads
    # every matching row).
    template = "(SELECT COUNT(*) FROM (%(subquery)s) capped)"

    def __init__(self, queryset, cap):
        super().__init__(queryset.order_by().values("pk")[: cap + 1], output_field=IntegerField())


def capped_label(count, cap):
    """'42', or '99+' when `count` (from CappedCount or a sum of them) went past `cap`."""
    return f"{cap}+" if count > cap else str(count)


class CappedPaginator(Paginator):
    # The count reads as far as the page asked for; a page number from the URL can be any
    # size, and LIMIT past 2**63 is an error in both databases. No list has this many pages:
    # beyond it, as beyond the real last page, the last page is shown.
    MAX_WANTED_PAGE = 10**9

    def __init__(self, object_list: QuerySet, per_page, cap=10_000, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        # The same list, typed as what it must be here: counting runs a query of its own.
        self.queryset = object_list
        self.cap = cap
        self.wanted_page = 1

    def get_page(self, number):
        try:
            self.wanted_page = min(max(1, int(number)), self.MAX_WANTED_PAGE)
        # int() refuses "²" (which isdigit() accepts) and strings of over 4,300 digits.
        except (TypeError, ValueError):
            self.wanted_page = 1
        return super().get_page(number)

    @cached_property
    def limit(self):
        return max(self.cap, (self.wanted_page + 1) * self.per_page)

    @cached_property
    def count(self):
        """Rows counted, at most `limit` + 1 (one past the limit means "more")."""
        # Only the ids, in no particular order: the count needs neither the columns nor the
        # sort, and counting ids stays inside an index.
        return self.queryset.order_by().values("pk")[: self.limit + 1].count()

    @property
    def is_capped(self):
        return self.count > self.limit

    @property
    def count_label(self):
        """'1,234', or 'More than 10,000' when counting stopped at the cap."""
        if self.is_capped:
            return f"More than {self.count - 1:,}"
        return f"{self.count:,}"

    @property
    def num_pages_label(self):
        return f"{self.num_pages:,}+" if self.is_capped else f"{self.num_pages:,}"


# How long counts may be reused: they are keyed on the data version, which every write moves,
# so this only bounds how long unused entries take up memory.
STATUS_COUNTS_TIMEOUT = 300


def _counts_as_of(kind, investigation, latest_event, count):
    """`count()` ({value: n}) reused until the database's next write.

    The key is the data version (data_version.py), which triggers move on every write to a
    tracked table, audited or not; `latest_event` stays in the key as it was, but is no
    longer what keeps the counts right. Counts made while another transaction's write is
    uncommitted are returned but not kept (data_version.for_keeping()).
    """
    event = f"{latest_event.pk}:{latest_event.created_at.timestamp()}" if latest_event else "0"
    version, keep = data_version.for_keeping()
    key = f"{kind}-counts:{investigation.pk}:{event}:{version}"
    counts = cache.get(key)
    if counts is None:
        counts = count()
        if keep:
            cache.set(key, counts, STATUS_COUNTS_TIMEOUT)
    return counts


def _grouped_count(queryset, column):
    # COUNT(*), grouped by one column: for claims, the (investigation, status) index answers.
    rows = queryset.order_by().values_list(column).annotate(n=Count("*"))
    return dict(rows.values_list(column, "n"))


def status_counts_since(investigation, latest_event):
    """{status: number of claims} for the investigation, as of `latest_event` (or None).

    Counting by status reads every claim of the investigation (an index scan of 100,000
    entries at 100,000 claims), hence the reuse (see _counts_as_of).
    """
    return _counts_as_of(
        "status",
        investigation,
        latest_event,
        lambda: _grouped_count(investigation.claims, "status"),
    )


def verdict_counts_since(investigation, latest_event):
    """{rating: number of current verdicts} of the investigation, as of `latest_event`.

    Reused like status_counts_since, until the next write.
    """
    current = Verdict.objects.filter(
        claim__investigation=investigation, status__in=Verdict.CURRENT_STATUSES
    )
    return _counts_as_of(
        "verdict", investigation, latest_event, lambda: _grouped_count(current, "rating")
    )
