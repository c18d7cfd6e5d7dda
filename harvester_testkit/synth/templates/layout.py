"""The page chrome every page of the site shares (Drupal 10 theme "wcda"), as in the bundled mirror."""
# ruff: noqa: E501 - markup lines as long as the pages they copy

LAYOUT = """\
<!DOCTYPE html>
<html lang="en" dir="ltr" prefix="og: https://ogp.me/ns#">
  <head>
    <meta charset="utf-8" />
{% if description %}
    <meta name="description" content="{{ description }}" />
{% endif %}
    <link rel="canonical" href="{{ canonical }}" />
{% if shortlink %}
    <link rel="shortlink" href="{{ shortlink }}" />
{% endif %}
    <meta property="og:site_name" content="Wilson Center Digital Archive" />
    <meta property="og:type" content="{{ og_type }}" />
    <meta property="og:url" content="{{ canonical }}" />
{% if og_title %}
    <meta property="og:title" content="{{ og_title }}" />
{% endif %}
<meta name="Generator" content="Drupal 10 (https://www.drupal.org)" />
<meta name="MobileOptimized" content="width" />
<meta name="HandheldFriendly" content="true" />
<meta name="viewport" content="width=device-width, initial-scale=1.0" />
<link rel="icon" href="/themes/custom/wcda/favicon.ico" type="image/vnd.microsoft.icon" />

    <title>{{ head_title }} | Wilson Center Digital Archive</title>
    <link rel="stylesheet" media="all" href="/sites/default/files/css/css_k3V1mUe0n5cJb4aXg9yQ2r7Hw8Zs6tLpD0fOiRvYxEc.css?delta=0&amp;language=en&amp;theme=wcda" />
{% if settings %}
    <script type="application/json" data-drupal-selector="drupal-settings-json">{{ settings }}</script>
{% endif %}
<script src="/sites/default/files/js/js_V5g2cX9tQ1bN3mR7wK0yE4uI8oP6aS2dF1gH5jL9zX3.js?scope=header&amp;delta=0&amp;language=en&amp;theme=wcda"></script>

  </head>
  <body class="{{ body_class }}">
    <a href="#main-content" class="visually-hidden focusable skip-link">
      Skip to content
    </a>

      <div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>
    <div class="layout-container">
  <header class="site-header" role="banner">
    <div class="site-header__top">
      <div class="container">
        <a href="https://www.wilsoncenter.org" class="site-header__parent">Wilson Center</a>
        <a href="https://www.wilsoncenter.org/program/history-and-public-policy-program" class="site-header__program">History and Public Policy Program</a>
      </div>
    </div>
    <div class="site-header__main container">
      <div id="block-wcda-branding" class="block block-system block-system-branding-block">
        <a href="/" rel="home" class="site-logo">
          <img src="/themes/custom/wcda/logo.svg" alt="Home" fetchpriority="high" />
        </a>
        <div class="site-name"><a href="/" rel="home">Wilson Center Digital Archive</a></div>
        <div class="site-slogan">International History Declassified</div>
      </div>
      <nav role="navigation" aria-labelledby="block-wcda-main-menu-menu" id="block-wcda-main-menu" class="block block-menu navigation menu--main">
        <h2 class="visually-hidden" id="block-wcda-main-menu-menu">Main navigation</h2>
        <ul class="menu menu--level-1">
          <li class="menu-item"><a href="/topics" data-drupal-link-system-path="topics">Topics</a></li>
          <li class="menu-item"><a href="/search" data-drupal-link-system-path="search">Browse</a></li>
          <li class="menu-item"><a href="/about" data-drupal-link-system-path="node/2">About</a></li>
          <li class="menu-item"><a href="/instructors" data-drupal-link-system-path="node/3">For Instructors</a></li>
        </ul>
      </nav>
      <div class="views-exposed-form block block-views block-views-exposed-filter-blocksearch-page-1" data-drupal-selector="views-exposed-form-search-page-1" id="block-exposedformsearchpage-1">
        <form action="/search" method="get" id="views-exposed-form-search-page-1" accept-charset="UTF-8">
          <div class="js-form-item form-item js-form-type-search-api-autocomplete form-type-search-api-autocomplete js-form-item-search-api-fulltext form-item-search-api-fulltext">
            <label for="edit-search-api-fulltext" class="visually-hidden">Search the archive</label>
            <input placeholder="Search the archive" data-drupal-selector="edit-search-api-fulltext" type="text" id="edit-search-api-fulltext" name="search_api_fulltext" value="" size="30" maxlength="128" class="form-text" />
          </div>
          <div data-drupal-selector="edit-actions" class="form-actions js-form-wrapper form-wrapper" id="edit-actions"><input data-drupal-selector="edit-submit-search" type="submit" id="edit-submit-search" value="Search" class="button js-form-submit form-submit" /></div>
        </form>
      </div>
    </div>
  </header>

  <main role="main" class="site-main">
    <a id="main-content" tabindex="-1"></a>
    <div class="layout-content container">
      <div class="region region-content">
        <div data-drupal-messages-fallback class="hidden"></div>
{% block content %}{% endblock %}
      </div>
    </div>
  </main>
  <footer class="site-footer" role="contentinfo">
    <div class="container">
      <div class="site-footer__about">
        <p>The Wilson Center Digital Archive is a project of the History and Public Policy Program at the Woodrow Wilson International Center for Scholars.</p>
        <p>One Woodrow Wilson Plaza, 1300 Pennsylvania Ave., NW, Washington, DC 20004-3027</p>
      </div>
      <nav role="navigation" aria-labelledby="block-wcda-footer-menu" id="block-wcda-footer" class="block block-menu navigation menu--footer">
        <h2 class="visually-hidden" id="block-wcda-footer-menu">Footer</h2>
        <ul class="menu">
          <li class="menu-item"><a href="/about">About the Digital Archive</a></li>
          <li class="menu-item"><a href="/terms-use">Terms of Use</a></li>
          <li class="menu-item"><a href="https://www.wilsoncenter.org/privacy-policy">Privacy Policy</a></li>
        </ul>
      </nav>
      <div class="site-footer__copyright">&copy; 2025 The Wilson Center. All rights reserved.</div>
    </div>
  </footer>
</div>
  </div>

    <script src="/sites/default/files/js/js_T8h3dY0uR2cO4nS8xL1zF5vJ9pQ7bT3eG2hI6kM0aY4.js?scope=footer&amp;delta=0&amp;language=en&amp;theme=wcda"></script>
<script data-cfasync="false" src="/cdn-cgi/scripts/5c5dd728/cloudflare-static/email-decode.min.js"></script></body>
</html>
"""

ROBOTS_TXT = """\
#
# robots.txt
#
# This file is to prevent the crawling and indexing of certain parts
# of your site by web crawlers and spiders run by sites like Yahoo!
# and Google. By telling these "robots" where not to go on your site,
# you save bandwidth and server resources.
#
# For more information about the robots.txt standard, see:
# http://www.robotstxt.org/robotstxt.html

User-agent: *
# CSS, JS, Images
Allow: /core/*.css$
Allow: /core/*.css?
Allow: /core/*.js$
Allow: /core/*.js?
# Directories
Disallow: /core/
Disallow: /profiles/
# Files
Disallow: /README.md
Disallow: /web.config
# Paths (clean URLs)
Disallow: /admin/
Disallow: /comment/reply/
Disallow: /filter/tips
Disallow: /node/add/
Disallow: /search/node
Disallow: /user/register
Disallow: /user/password
Disallow: /user/login
Disallow: /user/logout
Disallow: /user/
# Paths (no clean URLs)
Disallow: /index.php/admin/
Disallow: /index.php/user/
"""
