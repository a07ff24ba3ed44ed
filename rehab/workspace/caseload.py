from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from rehab.workspace import selectors
from rehab.workspace.caseload_html import caseload_rows_html, filter_menus
from rehab.workspace.forms import CaseloadFilterForm

# The menus of the filter form (the search box and the scope are drawn apart).
FILTER_MENUS = ("phase", "flag", "physio", "status")


@login_required
def caseload(request):
    user = request.user
    if user.clinic_id is None:
        return render(request, "rehab/caseload.html", {"nav": "caseload", "no_clinic": True})
    default_scope = selectors.MINE if user.is_physio else selectors.CLINIC
    form = CaseloadFilterForm(request.GET or None, clinic=user.clinic, default_scope=default_scope)
    filters = form.filters() if form.is_bound else selectors.CaseloadFilters(scope=default_scope)
    page = selectors.caseload_rows(
        user.clinic, user if user.is_physio else None, filters, page=request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    scope_links = []
    for value, label in CaseloadFilterForm.SCOPES:
        scoped = query.copy()
        scoped["scope"] = value
        scope_links.append((label, scoped.urlencode(), filters.scope == value and not filters.physio_id))
    return render(request, "rehab/caseload.html", {
        "nav": "caseload",
        "form": form,
        "filter_menus": filter_menus(form, FILTER_MENUS),
        "filters": filters,
        "page": page,
        "rows": page.object_list,
        "rows_html": caseload_rows_html(page.object_list, show_physio=filters.scope != selectors.MINE),
        "query": query.urlencode(),
        "scope_links": scope_links if user.is_physio else [],
        "is_filtered": any((filters.phase, filters.flag, filters.physio_id, filters.search,
                            filters.status != selectors.ACTIVE)),
    })
