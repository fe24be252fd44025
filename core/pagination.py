"""Pages of a list for the server-rendered pages: every list that grows is shown a page at a time.

`paginate` returns what `includes/pagination.html` renders (the links keep the page's other
query parameters, such as the board's filters). A page whose list is a queryset reads one count
and one slice; a number out of range shows the last page rather than an error.
"""

from django.core.paginator import Paginator


def paginate(request, object_list, *, per_page: int, param: str = "page") -> dict:
    paginator = Paginator(object_list, per_page)
    page = paginator.get_page(request.GET.get(param))
    query = request.GET.copy()
    query.pop(param, None)
    return {
        "page": page,
        "param": param,
        "links": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "ellipsis": paginator.ELLIPSIS,
        "query": query.urlencode(),
    }
