"""`{% navigation "citizen" label %}`: a menu of gru/navigation.py, drawn by templates/components/navigation.html."""

from typing import Any

from django import template

from gru.navigation import menu_links

register = template.Library()


@register.inclusion_tag("components/navigation.html", takes_context=True)
def navigation(context: template.Context, menu: str, label: str) -> dict[str, Any]:
    """The menu's links for the page's user, the page's own marked current; `label` names the menu."""
    user, match = context["user"], context["request"].resolver_match
    return {
        "label": label,
        "links": menu_links(menu, user=user, view_name=match.view_name if match else ""),
        "signed_in": user.is_authenticated,
        "csrf_token": context.get("csrf_token"),
    }
