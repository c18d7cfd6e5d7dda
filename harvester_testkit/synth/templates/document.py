"""The document page (`/document/<slug>`), as the fixtures' pages are marked up. Variable parts
(pills, dates, text) arrive as ready markup from `render_document.py`."""
# ruff: noqa: E501 - markup lines as long as the pages they copy

DOCUMENT = """\
{% extends "layout" %}
{% block content %}
        <article data-history-node-id="{{ nid }}" class="node node--type-document node--view-mode-full">
{% if neighbour %}
          <div class="document-neighbour document-neighbour--previous">
            <span class="document-neighbour__label">Previous in this collection</span>
            <div class="teaser teaser--document">
              <div class="date">{{ neighbour.date }}</div>
              <{{ neighbour.tag }} class="title"><a href="{{ neighbour.href }}">{{ neighbour.title }}</a></{{ neighbour.tag }}>
              <div class="teaser__summary"><p>{{ neighbour.summary }}</p></div>
            </div>
          </div>
{% endif %}
          <div class="document-header">
{% if date is not none %}
            <div class="date">{{ date }}</div>
{% endif %}
{% if title is not none %}
            <h1 class="title"><span class="field field--name-title field--type-string field--label-hidden">{{ title }}</span></h1>
{% endif %}
{% if credit is not none %}
            <div class="donated">{{ credit }}</div>
{% endif %}
{% if download %}
            <div class="document-header__actions">
              <a class="button button--primary button--download" href="{{ download }}">Download</a>
            </div>
{% endif %}
          </div>
          <div class="document-body">
{% if nested %}
            <div id="documentTabs" class="document-tabs">
              <ul class="nav nav-tabs" role="tablist">
{% for pane in panes %}
                <li class="nav-item" role="presentation"><button class="nav-link{{ ' active' if pane.active }}" id="{{ pane.kind }}-tab" data-bs-toggle="tab" data-bs-target="#{{ pane.kind }}" type="button" role="tab" aria-controls="{{ pane.kind }}" aria-selected="{{ 'true' if pane.active else 'false' }}">{{ pane.label }}</button></li>
{% endfor %}
              </ul>
              <div class="tab-content">
{% for pane in panes %}
                <div class="tab-pane fade{{ ' show active' if pane.active }}" id="{{ pane.kind }}" role="tabpanel" aria-labelledby="{{ pane.kind }}-tab">
                  <ul class="nav nav-pills document-tabs__languages" role="tablist">
                    <li class="nav-item" role="presentation"><button class="nav-link active" data-bs-toggle="pill" data-bs-target="#{{ pane.kind }}-{{ pane.language | lower }}" type="button" role="tab" aria-selected="true">{{ pane.language }}</button></li>
                  </ul>
                  <div class="tab-content">
                    <div class="tab-pane fade show active" id="{{ pane.kind }}-{{ pane.language | lower }}" role="tabpanel">
{% for block in pane.blocks %}
                      {{ block }}
{% endfor %}
                    </div>
                  </div>
                </div>
{% endfor %}
              </div>
            </div>
{% else %}
{% if tabs %}
            <ul class="nav nav-tabs" role="tablist">
{% for pane in panes %}
              <li class="nav-item" role="presentation"><button class="nav-link{{ ' active' if pane.active }}" data-bs-toggle="tab" data-bs-target="#tab-{{ pane.kind }}-{{ nid }}" type="button" role="tab" aria-selected="{{ 'true' if pane.active else 'false' }}">{{ pane.label }}</button></li>
{% endfor %}
            </ul>
{% endif %}
            <div class="tab-content">
{% for pane in panes %}
              <div class="tab-pane fade{{ ' show active' if pane.active }}" id="tab-{{ pane.kind }}-{{ nid }}" role="tabpanel">
                <div class="clearfix text-formatted field field--name-field-{{ pane.kind }} field--type-text-long field--label-hidden">
{% for block in pane.blocks %}
                  {{ block }}
{% endfor %}
                </div>
              </div>
{% endfor %}
            </div>
{% endif %}
{% if summary %}
            <div class="text-block">
{% for paragraph in summary %}
              <p>{{ paragraph }}</p>
{% endfor %}
            </div>
{% endif %}
          </div>
          <div class="document-sections">
{% if authors %}
            <h2 class="title">Author(s):</h2>
            <div class="pills pills--authors">
{% for pill in authors %}
              {{ pill }}
{% endfor %}
            </div>
{% endif %}
{% for label, pills in sections %}
            <div class="pill-block">
              <{{ heading }} class="title">{{ label }}</{{ heading }}>
              <div class="pills">
{% for pill in pills %}
                {{ pill }}
{% endfor %}
              </div>
            </div>
{% endfor %}
          </div>
{% if related %}
          <section class="related-documents">
            <h3 class="title">Related Documents</h3>
            <div class="related-documents__list">
{% for teaser in related %}
              <div class="teaser teaser--document">
                <div class="date">{{ teaser.date }}</div>
                <h4 class="teaser__title"><a href="{{ teaser.href }}">{{ teaser.title }}</a></h4>
                <div class="teaser__summary"><p>{{ teaser.summary }}</p></div>
              </div>
{% endfor %}
            </div>
          </section>
{% endif %}
          <div class="document-information">
            <h2 class="title">Document Information</h2>
            <div class="information-blocks">
{% for label, value in information %}
              <div class="information-block">
                <div class="sub-title">{{ label }}</div>
                {{ value }}
              </div>
{% endfor %}
            </div>
{% if second_download %}
            <p class="document-information__download"><a href="{{ second_download }}">Download the original scan</a></p>
{% endif %}
          </div>
        </article>
{% endblock %}
"""
