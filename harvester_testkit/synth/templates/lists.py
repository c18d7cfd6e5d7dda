"""Search listings (default and faceted), topic pages and the topic index."""
# ruff: noqa: E501 - markup lines as long as the pages they copy

PAGER = """\
{% macro pager(links) %}
                  <nav class="pager" role="navigation" aria-labelledby="pagination-heading">
                    <h4 id="pagination-heading" class="visually-hidden">Pagination</h4>
                    <ul class="pager__items js-pager__items">
{% for link in links %}
                      <li class="pager__item{{ ' pager__item--' ~ link.kind if link.kind }}{{ ' is-active' if link.current }}">
                        <a href="{{ link.href }}" title="{{ link.title }}"{{ (' rel="' ~ link.rel ~ '"') | safe if link.rel }}{{ ' aria-current="page"' | safe if link.current }}>{{ link.label }}</a>
                      </li>
{% endfor %}
                    </ul>
                  </nav>
{% endmacro %}
"""

LISTING = """\
{% extends "layout" %}
{% from "pager" import pager %}
{% block content %}
        <div class="search-page">
          <div class="row">
            <aside class="search-page__facets col-lg-3" role="complementary">
              <h2 class="visually-hidden">Filter results</h2>
{% for facet in facets %}
              <div class="block-facets block-facet--{{ facet.css }}">
                <h3 class="block-facets__title">{{ facet.title }}</h3>
                <ul data-drupal-facet-id="{{ facet.id }}" data-drupal-facet-alias="{{ facet.id }}" class="{{ 'facet-active ' if facet.active }}js-facets-links item-list__links">
{% for item in facet['items'] %}
                  <li class="facet-item"><a href="{{ item.href }}" rel="nofollow"{{ ' class="is-active"' | safe if item.active }} data-drupal-facet-item-id="{{ facet.id }}-{{ item.value }}" data-drupal-facet-item-value="{{ item.value }}" data-drupal-facet-item-count="{{ item.count }}">{% if item.active %}<span class="facet-item__status js-facet-deactivate">(-)</span> {% endif %}<span class="facet-item__value">{{ item.name }}</span>{% if not item.active %} <span class="facet-item__count">({{ item.count }})</span>{% endif %}</a></li>
{% endfor %}
                </ul>
              </div>
{% endfor %}
            </aside>
            <div class="search-page__results col-lg-9">
              <div class="views-element-container">
                <div class="view view-search view-id-search view-display-id-page_1">
                  <form class="search-sort" action="/search" method="get">
{% for name, value in hidden %}
                    <input type="hidden" name="{{ name }}" value="{{ value }}" />
{% endfor %}
                    <label for="edit-sort-by">Sort by</label>
                    <select id="edit-sort-by" name="sort_by"><option value="search_api_relevance">Relevance</option><option value="created" selected="selected">Newest</option><option value="field_date">Document date</option></select>
                    <input type="submit" value="Apply" class="button" />
                  </form>
                  <div class="view-header">
                    <div class="results-summary"><span class="results-summary__label">Results:</span> <span class="results-summary__count">{{ first }} - {{ last }} of {{ total }}</span></div>
                  </div>
                  <div class="view-content">
{% for row in rows %}
                    <div class="views-row">
                      <div class="search-result">
                        <div class="date">{{ row.date }}</div>
                        <h3 class="title"><a href="{{ row.href }}" hreflang="en">{{ row.title }}</a></h3>
{% if row.summary %}
                        <div class="summary"><p>{{ row.summary }}</p></div>
{% endif %}
                      </div>
                    </div>
{% endfor %}
                  </div>
{% if links %}
{{ pager(links) }}
{% endif %}
                </div>
              </div>
            </div>
          </div>
        </div>
{% endblock %}
"""

TOPIC = """\
{% extends "layout" %}
{% block content %}
        <div class="taxonomy-term taxonomy-term--type-topics taxonomy-term--view-mode-full">
          <div class="topic-hero">
            <img loading="eager" src="/sites/default/files/styles/topic_hero/public/2023-03/{{ slug }}.jpg?itok=Q3xv8Lp1" width="1440" height="720" alt="{{ image_alt }}" />
          </div>
          <div class="topic-header container">
            <h1 class="title">{{ title }}</h1>
            <div class="topic-description text-block">
              <p>&nbsp;{{ description }}</p>
              <p>&nbsp;</p>
            </div>
          </div>
          <div class="topic-image">
            <img loading="lazy" src="/sites/default/files/styles/large/public/2023-03/{{ slug }}.jpg?itok=aP0kX7mQ" width="480" height="600" alt="{{ image_alt }}" />
          </div>
          <section class="popular-documents">
            <h2 class="title">Popular Documents</h2>
            <div class="views-element-container">
              <div class="view view-popular-documents view-id-popular_documents view-display-id-block_1">
                <div class="view-content">
{% for entry in popular %}
                  <div class="views-row">
                    <div class="teaser teaser--document">
                      <div class="date">{{ entry.date }}</div>
                      <h3 class="title"><a href="{{ entry.href }}" hreflang="en">{{ entry.title }}</a></h3>
                      <div class="summary">{% for paragraph in entry.summary %}<p>{{ paragraph }}</p>{% endfor %}</div>
                    </div>
                  </div>
{% endfor %}
                </div>
              </div>
            </div>
            <div class="popular-documents__more">
              <a class="button button--primary" href="{{ listing }}">View all documents</a>
            </div>
          </section>
        </div>
{% endblock %}
"""

TOPIC_INDEX = """\
{% extends "layout" %}
{% block content %}
        <div class="view view-topics view-id-topics view-display-id-page_1">
          <h1 class="title page-title">Topics</h1>
          <div class="view-content">
{% for topic in topics %}
            <div class="views-row">
              <div class="teaser teaser--topic">
                <h3 class="title"><a href="/topics/{{ topic.slug }}" hreflang="en">{{ topic.title }}</a></h3>
                <div class="teaser__summary"><p>{{ topic.description }}</p></div>
              </div>
            </div>
{% endfor %}
          </div>
        </div>
{% endblock %}
"""
