"""`{{ file.size|file_size }}`: a size in bytes as "1,5 Mo" (gru/sizes.py)."""

from django import template

from gru.sizes import file_size

register = template.Library()
register.filter("file_size", file_size)
