"""Renders the sections higher apps register on the challenge page (challenges.sections)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def challenge_section(context, section):
    """The section's own template, with the page's context and the section's on top of it."""
    section_template = context.template.engine.get_template(section["template"])
    with context.push(section["context"]):
        return section_template.render(context)
