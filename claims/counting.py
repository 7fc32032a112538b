"""Counts that stay cheap however long the lists grow.

Django's Paginator counts every matching row to print "Page 1 of N". On a list of 100,000
claims that count alone costs more than rendering the page. CappedPaginator counts at most
`cap` rows, or as far as the page asked for plus one more page: the first pages of a huge
list say "More than 10,000 claims" and "Page 1 of 201+", and any page number can still be
reached by following Next.
"""

from django.core.paginator import Paginator
from django.db.models import Func, IntegerField, Subquery
from django.db.models.expressions import RawSQL
from django.utils.functional import cached_property


def subquery_count(queryset):
    """A Subquery counting `queryset`'s rows (filtered on OuterRef), for annotate().

    Unlike Count() over a join, which groups every row before a LIMIT can apply, the
    database evaluates it only for the rows it returns: 25 sources of a page, not 2,500.
    """
    # COUNT(*), not COUNT(id): an index without the id column can then answer it alone.
    count = Func(template="COUNT(*)", output_field=IntegerField())
    counted = queryset.order_by().annotate(n=count).values("n")
    return Subquery(counted, output_field=IntegerField())


def capped_count(queryset, cap):
    """An expression counting `queryset`'s rows, stopping after cap + 1 of them."""
    # The inner SQL is compiled by the ORM with its values kept as parameters.
    sql, params = queryset.order_by().values("pk")[: cap + 1].query.sql_with_params()
    counted = f"SELECT COUNT(*) FROM ({sql}) capped"  # noqa: S608
    return RawSQL(counted, params, output_field=IntegerField())  # noqa: S611


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, cap=10_000, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap
        self.wanted_page = 1

    def get_page(self, number):
        try:
            self.wanted_page = max(1, int(number))
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
        return self.object_list.order_by().values("pk")[: self.limit + 1].count()

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
