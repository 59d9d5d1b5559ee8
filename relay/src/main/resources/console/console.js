/*
 * The Postback Relay console: one page, hash routes (#/overview, #/postbacks, #/clicks/ID,
 * #/campaigns/ID, #/deliveries, #/reports), every figure from the admin API through /api/.
 * Values from the API are only ever set as text (textContent), never as markup.
 */
(function () {
  'use strict';

  var main = document.getElementById('main');
  var announcer = document.getElementById('announce');
  var DAY = 86400;

  window.addEventListener('error', function (e) {
    console.error('console: ' + e.message);
  });
  window.addEventListener('unhandledrejection', function (e) {
    console.error('console: unhandled ' + (e.reason && e.reason.message ? e.reason.message : e.reason));
  });

  // ---- helpers -------------------------------------------------------------------------------

  /** An element: attributes (on* as listeners, text as its text) and children (strings become text). */
  function h(tag, attrs) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      var v = attrs[k];
      if (v === undefined || v === null || v === false) {
        return;
      }
      if (k.slice(0, 2) === 'on') {
        el.addEventListener(k.slice(2), v);
      } else if (k === 'text') {
        el.textContent = String(v);
      } else if (k === 'value') {
        el.value = v;
      } else if (k === 'checked') {
        el.checked = !!v;
      } else {
        el.setAttribute(k, v === true ? '' : String(v));
      }
    });
    for (var i = 2; i < arguments.length; i++) {
      append(el, arguments[i]);
    }
    return el;
  }

  function append(el, child) {
    if (child === undefined || child === null || child === false) {
      return;
    }
    if (Array.isArray(child)) {
      child.forEach(function (c) {
        append(el, c);
      });
    } else if (child instanceof Node) {
      el.appendChild(child);
    } else {
      el.appendChild(document.createTextNode(String(child)));
    }
  }

  function say(text) {
    announcer.textContent = '';
    setTimeout(function () {
      announcer.textContent = text;
    }, 30);
  }

  /** One admin call through the console: {status, json, text}. Never rejects for an HTTP status. */
  function api(method, path, body) {
    var init = { method: method, credentials: 'same-origin', headers: { 'X-Relay-Console': '1' } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
    }
    return fetch('/api/' + path, init).then(function (res) {
      return res.text().then(function (text) {
        var json = null;
        if ((res.headers.get('content-type') || '').indexOf('json') >= 0 && text) {
          try {
            json = JSON.parse(text);
          } catch (e) {
            json = null;
          }
        }
        return { status: res.status, json: json, text: text };
      });
    });
  }

  /** A 2xx answer's JSON, or a rejection with the answer. */
  function get(path) {
    return api('GET', path).then(function (r) {
      if (r.status < 200 || r.status > 299) {
        throw r;
      }
      return r.json;
    });
  }

  /** Every page of a list (at most {@code maxPages}). */
  function getAll(path, maxPages) {
    var items = [];
    function page(next, left) {
      var p =
        path + (path.indexOf('?') >= 0 ? '&' : '?') + 'limit=500' + (next ? '&next=' + encodeURIComponent(next) : '');
      return get(p).then(function (j) {
        items = items.concat(j.items || []);
        return j.next && left > 1 ? page(j.next, left - 1) : items;
      });
    }
    return page(null, maxPages || 10);
  }

  function problem(r) {
    if (r && r.json && r.json.message) {
      return (
        (r.json.error ? r.json.error + ': ' : '') +
        r.json.message +
        (r.json.parameter ? ' (field: ' + r.json.parameter + ')' : '')
      );
    }
    if (r && r.status) {
      return 'The relay answered ' + r.status + (r.text ? ': ' + r.text.slice(0, 300) : '');
    }
    return String(r && r.message ? r.message : r);
  }

  function failure(r) {
    return h('p', { class: 'notice bad', role: 'alert' }, problem(r));
  }

  function time(iso) {
    if (!iso) {
      return '';
    }
    return String(iso)
      .replace('T', ' ')
      .replace(/\.\d+Z$/, 'Z')
      .replace(/Z$/, ' UTC');
  }

  function dateOnly(seconds) {
    return new Date(seconds * 1000).toISOString().slice(0, 10);
  }

  function todayStart() {
    var now = Math.floor(Date.now() / 1000);
    return now - (now % DAY);
  }

  function enc(v) {
    return encodeURIComponent(v);
  }

  function qs(params) {
    return window.Reports.query(params);
  }

  function hashParams(raw) {
    var out = {};
    (raw || '').split('&').forEach(function (pair) {
      if (!pair) {
        return;
      }
      var i = pair.indexOf('=');
      out[decodeURIComponent(i < 0 ? pair : pair.slice(0, i))] = i < 0 ? '' : decodeURIComponent(pair.slice(i + 1));
    });
    return out;
  }

  /** A table: columns [{label, get(row) -> node|string, numeric}], with a caption for screen readers. */
  function table(caption, columns, rows, opts) {
    opts = opts || {};
    var body = h('tbody');
    rows.forEach(function (row, i) {
      var tr = h('tr', opts.rowAttrs ? opts.rowAttrs(row, i) : {});
      columns.forEach(function (c) {
        tr.appendChild(h('td', { class: c.numeric ? 'num' : null }, c.get(row)));
      });
      body.appendChild(tr);
      if (opts.after) {
        var extra = opts.after(row);
        if (extra) {
          body.appendChild(h('tr', { class: 'detail' }, h('td', { colspan: columns.length }, extra)));
        }
      }
    });
    return h(
      'table',
      { 'data-table': opts.name },
      h('caption', { class: opts.showCaption ? null : 'visually-hidden' }, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          columns.map(function (c) {
            return h('th', { scope: 'col', class: c.numeric ? 'num' : null }, c.label);
          })
        )
      ),
      body,
      opts.foot ? h('tfoot', {}, opts.foot) : null
    );
  }

  function empty(text) {
    return h('p', { class: 'muted', 'data-empty': true }, text);
  }

  function field(id, label, control, hint) {
    control.id = id;
    var parts = [h('label', { for: id }, label), control];
    if (hint) {
      var hintId = id + '-hint';
      control.setAttribute('aria-describedby', hintId);
      parts.push(h('span', { class: 'hint', id: hintId }, hint));
    }
    parts.push(h('span', { class: 'error', id: id + '-error', 'data-error-for': id }));
    return h('div', { class: 'field' }, parts);
  }

  function select(name, options, chosen) {
    return h(
      'select',
      { name: name },
      options.map(function (o) {
        var value = Array.isArray(o) ? o[0] : o;
        return h(
          'option',
          { value: value, selected: value === chosen ? 'selected' : null },
          Array.isArray(o) ? o[1] : o === '' ? '(any)' : o
        );
      })
    );
  }

  /** Shows {@code message} under the control {@code id} (aria-invalid, described by it); clears with null. */
  function fieldError(form, id, message) {
    var control = form.querySelector('#' + id);
    var slot = form.querySelector('#' + id + '-error');
    if (!control || !slot) {
      return false;
    }
    slot.textContent = message || '';
    if (message) {
      control.setAttribute('aria-invalid', 'true');
      var described = (control.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
      if (described.indexOf(slot.id) < 0) {
        described.push(slot.id);
      }
      control.setAttribute('aria-describedby', described.join(' '));
    } else {
      control.removeAttribute('aria-invalid');
    }
    return true;
  }

  function clearErrors(form) {
    Array.prototype.forEach.call(form.querySelectorAll('[data-error-for]'), function (slot) {
      fieldError(form, slot.getAttribute('data-error-for'), null);
    });
  }

  var campaignsCache = null;

  function campaigns() {
    if (!campaignsCache) {
      campaignsCache = getAll('campaigns', 5).catch(function (e) {
        campaignsCache = null;
        throw e;
      });
    }
    return campaignsCache;
  }

  function campaignOptions(list, withAny, withNone) {
    var opts = list.map(function (c) {
      return [c.campaign_id, c.campaign_id + (c.status !== 'active' ? ' (' + c.status + ')' : '')];
    });
    if (withNone) {
      opts.push(['-', '- (refusals that named no campaign)']);
    }
    if (withAny) {
      opts.unshift(['', '(any)']);
    }
    return opts;
  }

  function link(href, text) {
    return h('a', { href: href }, text);
  }

  function clickLink(id) {
    return id ? link('#/clicks/' + enc(id), id) : '';
  }

  function page(title, intro) {
    document.title = title + ' - Postback Relay console';
    main.textContent = '';
    var heading = h('h1', { tabindex: '-1' }, title);
    main.appendChild(heading);
    if (intro) {
      main.appendChild(h('p', { class: 'muted' }, intro));
    }
    return heading;
  }

  /** The filter form of a list page: on submit, the route's hash carries the filters. */
  function filterForm(route, controls, label) {
    var form = h(
      'form',
      {
        class: 'filters',
        'aria-label': label || 'Filters',
        onsubmit: function (e) {
          e.preventDefault();
          var params = {};
          Array.prototype.forEach.call(form.elements, function (el) {
            if (!el.name || (el.type === 'checkbox' && !el.checked)) {
              return;
            }
            var v =
              el.getAttribute('data-iso') === 'true' && el.value ? new Date(el.value + ':00Z').toISOString() : el.value;
            params[el.name] = params[el.name] ? params[el.name] + ',' + v : v;
          });
          var next = '#/' + route + '?' + qs(params);
          if (location.hash === next) {
            render();
          } else {
            location.hash = next;
          }
        }
      },
      controls,
      h('button', { type: 'submit' }, 'Apply')
    );
    return form;
  }

  function isoInput(value) {
    return h('input', { type: 'datetime-local', 'data-iso': 'true', value: value ? value.slice(0, 16) : '' });
  }

  // ---- Overview ------------------------------------------------------------------------------

  var chart = null;

  function overview() {
    page('Overview', 'The last 7 days, by UTC day.');
    var end = todayStart() + DAY;
    var start = end - 7 * DAY;
    var days = [];
    for (var t = start; t < end; t += DAY) {
      days.push(t);
    }
    return campaigns().then(function (list) {
      var range = { from: dateOnly(start), to: dateOnly(end), tz: '+00:00' };
      return window.Reports.fetch(api, Object.assign({ group_by: 'day' }, range))
        .then(function (byDay) {
          if (byDay.available) {
            return Promise.all([
              window.Reports.fetch(api, Object.assign({ group_by: 'campaign' }, range)),
              window.Reports.fetch(api, Object.assign({ group_by: 'affiliate' }, range))
            ]).then(function (more) {
              var currency = window.Reports.currencies(byDay)[0] || 'USD';
              var series = days.map(function (d) {
                var row = byDay.rows.filter(function (r) {
                  return r.day === dateOnly(d);
                })[0];
                return row
                  ? window.Reports.figures(row, currency)
                  : { clicks: 0, conversions: 0, revenue: 0, payout: 0 };
              });
              return {
                source: 'the reports API',
                currency: currency,
                series: series,
                campaigns: more[0].rows.map(function (r) {
                  return { id: r.campaign, f: window.Reports.figures(r, currency) };
                }),
                affiliates: more[1].rows.map(function (r) {
                  return { id: r.affiliate, f: window.Reports.figures(r, currency) };
                })
              };
            });
          }
          return fromLists(list, days, start);
        })
        .then(function (data) {
          drawOverview(data, days);
          return refusedByReason(list, start);
        });
    });
  }

  /** The overview's figures counted from the click and conversion lists, for a relay without reports. */
  function fromLists(list, days, start) {
    var chosen = list.slice(0, 20);
    var from = new Date(start * 1000).toISOString();
    return Promise.all(
      chosen.map(function (c) {
        return Promise.all([
          getAll('clicks?campaign_id=' + enc(c.campaign_id) + '&from=' + enc(from), 4),
          getAll('conversions?campaign_id=' + enc(c.campaign_id) + '&from=' + enc(from), 4)
        ]);
      })
    ).then(function (perCampaign) {
      var currencyVotes = {};
      perCampaign.forEach(function (p) {
        p[1].forEach(function (v) {
          currencyVotes[v.payout_currency] = (currencyVotes[v.payout_currency] || 0) + 1;
        });
      });
      var currency =
        Object.keys(currencyVotes).sort(function (a, b) {
          return currencyVotes[b] - currencyVotes[a];
        })[0] || 'USD';
      var series = days.map(function () {
        return { clicks: 0, conversions: 0, revenue: 0, payout: 0 };
      });
      var byCampaign = {};
      var byAffiliate = {};
      function bucket(map, key) {
        return map[key] || (map[key] = { clicks: 0, conversions: 0, revenue: 0, payout: 0 });
      }
      function dayOf(iso) {
        return Math.floor((Date.parse(iso) / 1000 - start) / DAY);
      }
      perCampaign.forEach(function (p, i) {
        var id = chosen[i].campaign_id;
        p[0].forEach(function (click) {
          var d = dayOf(click.created_at);
          [series[d], bucket(byCampaign, id), bucket(byAffiliate, click.affiliate_id)].forEach(function (b) {
            if (b) {
              b.clicks++;
            }
          });
        });
        p[1].forEach(function (v) {
          var d = dayOf(v.created_at);
          [series[d], bucket(byCampaign, id), bucket(byAffiliate, v.affiliate_id)].forEach(function (b) {
            if (!b) {
              return;
            }
            b.conversions++;
            if (v.currency === currency && v.amount) {
              b.revenue += Number(v.amount);
            }
            if (v.payout_currency === currency && v.payout) {
              b.payout += Number(v.payout);
            }
          });
        });
      });
      function rows(map) {
        return Object.keys(map).map(function (k) {
          return { id: k, f: map[k] };
        });
      }
      return {
        source: 'the click and conversion lists (this relay has no reports API)',
        currency: currency,
        series: series,
        campaigns: rows(byCampaign),
        affiliates: rows(byAffiliate)
      };
    });
  }

  function money(n) {
    return (Math.round(n * 100) / 100).toFixed(2);
  }

  function drawOverview(data, days) {
    var total = data.series.reduce(
      function (a, s) {
        return {
          clicks: a.clicks + s.clicks,
          conversions: a.conversions + s.conversions,
          revenue: a.revenue + s.revenue,
          payout: a.payout + s.payout
        };
      },
      { clicks: 0, conversions: 0, revenue: 0, payout: 0 }
    );
    main.appendChild(
      h(
        'ul',
        { class: 'cards', 'aria-label': 'Totals of the last 7 days' },
        h('li', {}, 'Clicks', h('span', { class: 'value', 'data-total': 'clicks' }, total.clicks)),
        h('li', {}, 'Conversions', h('span', { class: 'value', 'data-total': 'conversions' }, total.conversions)),
        h(
          'li',
          {},
          'Revenue ' + data.currency,
          h('span', { class: 'value', 'data-total': 'revenue' }, money(total.revenue))
        ),
        h(
          'li',
          {},
          'Payout ' + data.currency,
          h('span', { class: 'value', 'data-total': 'payout' }, money(total.payout))
        )
      )
    );
    main.appendChild(h('h2', { id: 'chart-title' }, 'Clicks, conversions, revenue and payout per day'));
    main.appendChild(h('p', { class: 'muted' }, 'From ' + data.source + '; money in ' + data.currency + '.'));
    var holder = h('div', {
      class: 'chart',
      id: 'overview-chart',
      role: 'img',
      'data-points': days.length,
      'aria-label': 'Line chart of the daily figures; the same figures are in the table below it.'
    });
    main.appendChild(holder);
    var xs = days;
    var plotData = [
      xs,
      data.series.map(function (s) {
        return s.clicks;
      }),
      data.series.map(function (s) {
        return s.conversions;
      }),
      data.series.map(function (s) {
        return s.revenue;
      }),
      data.series.map(function (s) {
        return s.payout;
      })
    ];
    if (chart) {
      chart.destroy();
    }
    chart = new window.uPlot(
      {
        width: Math.max(320, Math.min(1200, holder.clientWidth || 900)),
        height: 300,
        tzDate: function (ts) {
          return window.uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC');
        },
        scales: { x: { time: true }, n: { auto: true }, m: { auto: true } },
        series: [
          { label: 'Day' },
          { label: 'Clicks', stroke: '#1f4e79', width: 2, scale: 'n' },
          { label: 'Conversions', stroke: '#116329', width: 2, scale: 'n' },
          { label: 'Revenue ' + data.currency, stroke: '#7d4e00', width: 2, scale: 'm' },
          { label: 'Payout ' + data.currency, stroke: '#a40e26', width: 2, dash: [6, 4], scale: 'm' }
        ],
        axes: [
          {
            splits: function () {
              return xs;
            },
            values: function (u, splits) {
              return splits.map(function (v) {
                return dateOnly(v).slice(5);
              });
            }
          },
          { scale: 'n', label: 'count' },
          { scale: 'm', side: 1, label: data.currency, grid: { show: false } }
        ]
      },
      plotData,
      holder
    );
    holder.setAttribute('data-series-points', String(chart.data[0].length));
    main.appendChild(
      h(
        'details',
        {},
        h('summary', {}, "The chart's figures as a table"),
        table(
          'Daily figures',
          [
            {
              label: 'Day (UTC)',
              get: function (i) {
                return dateOnly(xs[i]);
              }
            },
            {
              label: 'Clicks',
              numeric: true,
              get: function (i) {
                return data.series[i].clicks;
              }
            },
            {
              label: 'Conversions',
              numeric: true,
              get: function (i) {
                return data.series[i].conversions;
              }
            },
            {
              label: 'Revenue',
              numeric: true,
              get: function (i) {
                return money(data.series[i].revenue);
              }
            },
            {
              label: 'Payout',
              numeric: true,
              get: function (i) {
                return money(data.series[i].payout);
              }
            }
          ],
          xs.map(function (x, i) {
            return i;
          }),
          { name: 'chart-data' }
        )
      )
    );
    function top(title, rows, name, href) {
      rows.sort(function (a, b) {
        return b.f.conversions - a.f.conversions || b.f.clicks - a.f.clicks;
      });
      return h(
        'section',
        { 'aria-labelledby': name + '-title' },
        h('h2', { id: name + '-title' }, title),
        rows.length
          ? table(
              title,
              [
                {
                  label: name === 'campaigns' ? 'Campaign' : 'Affiliate',
                  get: function (r) {
                    return href ? link(href(r.id), r.id) : r.id;
                  }
                },
                {
                  label: 'Clicks',
                  numeric: true,
                  get: function (r) {
                    return r.f.clicks;
                  }
                },
                {
                  label: 'Conversions',
                  numeric: true,
                  get: function (r) {
                    return r.f.conversions;
                  }
                },
                {
                  label: 'Payout',
                  numeric: true,
                  get: function (r) {
                    return money(r.f.payout);
                  }
                }
              ],
              rows.slice(0, 5),
              { name: 'top-' + name }
            )
          : empty('Nothing in the last 7 days.')
      );
    }
    main.appendChild(
      h(
        'div',
        { class: 'grid2' },
        top('Top campaigns', data.campaigns, 'campaigns', function (id) {
          return '#/campaigns/' + enc(id);
        }),
        top('Top affiliates', data.affiliates, 'affiliates', null)
      )
    );
  }

  function refusedByReason(list, start) {
    var from = new Date(start * 1000).toISOString();
    var keys = list
      .slice(0, 20)
      .map(function (c) {
        return c.campaign_id;
      })
      .concat(['-']);
    return Promise.all(
      keys.map(function (k) {
        return getAll('postbacks?campaign_id=' + enc(k) + '&decision=refused&from=' + enc(from), 4);
      })
    ).then(function (perKey) {
      var counts = {};
      perKey.forEach(function (entries) {
        entries.forEach(function (e) {
          if (e.kind === 'refused' && e.reason) {
            counts[e.reason] = (counts[e.reason] || 0) + 1;
          } else if (e.kind === 'suppressed') {
            Object.keys(e.by_reason || {}).forEach(function (r) {
              counts[r] = (counts[r] || 0) + e.by_reason[r];
            });
          }
        });
      });
      var rows = Object.keys(counts).sort(function (a, b) {
        return counts[b] - counts[a];
      });
      main.appendChild(
        h(
          'section',
          { 'aria-labelledby': 'refused-title' },
          h('h2', { id: 'refused-title' }, 'Refused postbacks by reason'),
          rows.length
            ? table(
                'Refused postbacks by reason',
                [
                  {
                    label: 'Reason',
                    get: function (r) {
                      return link('#/postbacks?decision=refused&reason=' + enc(r), r);
                    }
                  },
                  {
                    label: 'Refused',
                    numeric: true,
                    get: function (r) {
                      return counts[r];
                    }
                  }
                ],
                rows,
                { name: 'refused' }
              )
            : empty('No postback was refused in the last 7 days.')
        )
      );
    });
  }

  // ---- Postback log --------------------------------------------------------------------------

  var DECISIONS = ['', 'attributed', 'status_updated', 'duplicate', 'rejected', 'refused', 'suppressed'];

  /** What became of a log entry, in words: [tone, sentence]. */
  function fate(e) {
    if (e.kind === 'suppressed') {
      var parts = Object.keys(e.by_reason || {}).map(function (r) {
        return e.by_reason[r] + ' ' + r;
      });
      return [
        'warn',
        (e.count || 0) + ' more refusals this minute were counted, not recorded (' + parts.join(', ') + ').'
      ];
    }
    if (e.kind === 'refused') {
      return ['bad', 'Refused with ' + e.reason + ': ' + (e.message || 'the sender got a 4xx.')];
    }
    switch (e.decision) {
      case 'attributed':
        return [
          'good',
          'Accepted and counted: a new ' +
            (e.status || '') +
            ' conversion (' +
            (e.event || 'event') +
            (e.txid ? ', txid ' + e.txid : '') +
            ').'
        ];
      case 'status_updated':
        return ['good', "Accepted: the conversion's status changed to " + (e.status || '?') + '.'];
      case 'duplicate':
        return ['warn', 'Accepted, but already counted with this status: nothing changed (duplicate).'];
      case 'rejected':
        return [
          'bad',
          'Accepted by the edge, then not counted: ' + (e.reason_sentence || e.reason || 'rejected') + '.'
        ];
      default:
        return ['warn', 'Accepted; attribution has not decided yet.'];
    }
  }

  function pairsTable(caption, pairs, name) {
    return pairs.length
      ? table(
          caption,
          [
            {
              label: 'Name',
              get: function (p) {
                return h('code', {}, p[0]);
              }
            },
            {
              label: 'Value',
              get: function (p) {
                return h('code', {}, p[1] === null || p[1] === undefined ? '' : String(p[1]));
              }
            }
          ],
          pairs,
          { name: name, showCaption: true }
        )
      : null;
  }

  function parsed(e) {
    if (e.kind === 'refused') {
      return Object.keys(e.fields || {}).map(function (k) {
        var f = e.fields[k];
        return [k + (f.read_from && f.read_from !== k ? ' (read from ' + f.read_from + ')' : ''), f.value];
      });
    }
    return [
      'click_id',
      'event',
      'txid',
      'status',
      'status_word',
      'amount',
      'payout',
      'currency',
      'conversion_rate',
      'customer_id',
      'affiliate_id',
      'conversion'
    ]
      .filter(function (k) {
        return e[k] !== undefined && e[k] !== null && e[k] !== '';
      })
      .map(function (k) {
        return [k, e[k]];
      });
  }

  function postbacks(params) {
    page('Postback log', 'Every postback that reached the relay, accepted or refused, newest first.');
    return campaigns().then(function (list) {
      if (!params.campaign_id && !params.source_ip && !params.click_id) {
        params.campaign_id = list.length ? list[0].campaign_id : '-';
      }
      var form = filterForm(
        'postbacks',
        [
          field(
            'pb-campaign',
            'Campaign',
            select('campaign_id', campaignOptions(list, true, true), params.campaign_id || '')
          ),
          field('pb-decision', 'Decision', select('decision', DECISIONS, params.decision || '')),
          field('pb-reason', 'Reason code', h('input', { name: 'reason', value: params.reason || '', size: 18 })),
          field('pb-from', 'From (UTC)', isoInput(params.from)),
          field('pb-to', 'To (UTC)', isoInput(params.to)),
          field('pb-click', 'Click id', h('input', { name: 'click_id', value: params.click_id || '', size: 28 })),
          field('pb-txid', 'Transaction id', h('input', { name: 'txid', value: params.txid || '', size: 12 })),
          field('pb-ip', 'Source IP', h('input', { name: 'source_ip', value: params.source_ip || '', size: 14 }))
        ],
        'Postback log filters'
      );
      form.querySelector('#pb-from').name = 'from';
      form.querySelector('#pb-to').name = 'to';
      main.appendChild(form);
      var holder = h('div', { id: 'postback-log' });
      main.appendChild(holder);
      main.appendChild(dryRunBox());
      var query = qs({
        campaign_id: params.campaign_id,
        decision: params.decision,
        reason: params.reason,
        from: params.from,
        to: params.to,
        click_id: params.click_id,
        txid: params.txid,
        source_ip: params.source_ip
      });
      return loadPostbacks(holder, query, null);
    });
  }

  function loadPostbacks(holder, query, next) {
    return api('GET', 'postbacks?' + query + '&limit=50' + (next ? '&next=' + enc(next) : '')).then(function (r) {
      if (r.status !== 200) {
        holder.appendChild(failure(r));
        return;
      }
      var items = r.json.items || [];
      if (!items.length && !next) {
        holder.appendChild(empty('No postback matches these filters.'));
      }
      if (items.length) {
        holder.appendChild(
          table(
            'Postbacks',
            [
              {
                label: 'Received',
                get: function (e) {
                  return time(e.received_at || e.minute);
                }
              },
              {
                label: 'Kind',
                get: function (e) {
                  return e.kind;
                }
              },
              {
                label: 'Decision',
                get: function (e) {
                  return e.decision || (e.kind === 'suppressed' ? 'suppressed' : '');
                }
              },
              {
                label: 'Reason',
                get: function (e) {
                  return e.reason || '';
                }
              },
              {
                label: 'What happened',
                get: function (e) {
                  var f = fate(e);
                  return h('span', { class: 'fate-' + f[0], 'data-fate': true }, f[1]);
                }
              },
              {
                label: 'Click',
                get: function (e) {
                  return clickLink(e.click_id || (e.fields && e.fields.click_id && e.fields.click_id.value));
                }
              },
              {
                label: 'Txid',
                get: function (e) {
                  return e.txid || (e.fields && e.fields.txid ? e.fields.txid.value : '');
                }
              }
            ],
            items,
            {
              name: 'postbacks',
              rowAttrs: function (e) {
                return { 'data-kind': e.kind, 'data-reason': e.reason || '', 'data-decision': e.decision || '' };
              },
              after: function (e) {
                if (e.kind === 'suppressed') {
                  return null;
                }
                var raw = (e.params || []).map(function (p) {
                  return [p[0], p[1]];
                });
                return h(
                  'details',
                  {},
                  h('summary', {}, 'Parameters of ' + (e.id || e.postback_id || 'this postback')),
                  h(
                    'div',
                    { class: 'grid2' },
                    h(
                      'div',
                      {},
                      h('h3', {}, 'As sent'),
                      pairsTable('Parameters as sent', raw, 'raw') || empty('Not kept for this entry.')
                    ),
                    h(
                      'div',
                      {},
                      h('h3', {}, 'Read as'),
                      pairsTable('Fields read', parsed(e), 'parsed') || empty('No field read.')
                    ),
                    e.source_ip || e.method
                      ? h(
                          'p',
                          { class: 'muted' },
                          [e.method, e.source_ip ? 'from ' + e.source_ip : null].filter(Boolean).join(' ')
                        )
                      : null
                  )
                );
              }
            }
          )
        );
      }
      if (r.json.next) {
        var more = h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            onclick: function () {
              more.remove();
              loadPostbacks(holder, query, r.json.next);
            }
          },
          'Older postbacks'
        );
        holder.appendChild(more);
      }
    });
  }

  function dryRunBox() {
    var out = h('div', { id: 'dry-run-result', 'aria-live': 'polite' });
    var form = h(
      'form',
      {
        'aria-labelledby': 'dry-run-title',
        onsubmit: function (e) {
          e.preventDefault();
          clearErrors(form);
          out.textContent = 'Asking the relay...';
          var body = { url: form.querySelector('#dry-url').value.trim() };
          var ip = form.querySelector('#dry-ip').value.trim();
          if (ip) {
            body.source_ip = ip;
          }
          api('POST', 'postbacks/dry-run', body).then(function (r) {
            out.textContent = '';
            if (r.status !== 200) {
              var param = r.json && r.json.parameter === 'source_ip' ? 'dry-ip' : 'dry-url';
              fieldError(form, param, problem(r));
              return;
            }
            out.appendChild(explain(r.json));
            say('Dry run: ' + r.json.verdict);
          });
        }
      },
      h('h2', { id: 'dry-run-title' }, 'Dry run: what would the relay do with this postback?'),
      h('p', { class: 'muted' }, 'Nothing is written and nothing is sent.'),
      field('dry-url', 'Postback URL, as the network sent it', h('textarea', { rows: 2, required: true })),
      field('dry-ip', "Network's source IP (optional)", h('input', { size: 20 })),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Explain')),
      out
    );
    return h('section', { class: 'dry-run' }, form);
  }

  function explain(d) {
    var a = d.answer || {};
    var parts = [
      h(
        'h3',
        { 'data-verdict': d.verdict, class: d.verdict === 'accepted' ? 'fate-good' : 'fate-bad' },
        'Verdict: ' + d.verdict
      ),
      h(
        'p',
        {},
        'The edge would answer ' +
          a.http_status +
          (a.error ? ' ' + a.error : '') +
          (a.message ? ': ' + a.message : '') +
          (a.parameter ? ' (parameter ' + a.parameter + ')' : '') +
          '.'
      )
    ];
    if (d.request && d.request.note) {
      parts.push(h('p', { class: 'muted' }, d.request.note));
    }
    parts.push(
      h('h3', {}, 'Fields'),
      (d.fields || []).length
        ? table(
            'Fields read',
            [
              {
                label: 'Field',
                get: function (f) {
                  return f.field;
                }
              },
              {
                label: 'Sent as',
                get: function (f) {
                  return f.sent_as + (f.alias ? ' (alias)' : '');
                }
              },
              {
                label: 'Value',
                get: function (f) {
                  return h('code', {}, f.value);
                }
              }
            ],
            d.fields,
            { name: 'dry-fields' }
          )
        : empty('No field was read.')
    );
    if ((d.extra || []).length) {
      parts.push(h('p', {}, 'Kept as extra values: ' + d.extra.join(', ')));
    }
    parts.push(
      h('h3', {}, 'Checks, in order'),
      h(
        'ol',
        { class: 'checks', 'data-checks': true },
        (d.checks || []).map(function (c) {
          var tone = c.result === 'passed' ? 'good' : c.result === 'failed' ? 'bad' : 'muted';
          return h(
            'li',
            { 'data-check': c.check, 'data-result': c.result },
            h('strong', {}, c.check),
            ': ',
            h('span', { class: tone === 'muted' ? 'muted' : 'fate-' + tone }, c.result.replace('_', ' ')),
            c.detail ? ' - ' + c.detail : ''
          );
        })
      )
    );
    var at = d.attribution;
    parts.push(h('h3', {}, 'Attribution'));
    if (!at) {
      parts.push(empty('None: the edge would refuse the postback before attribution.'));
    } else {
      var c = at.click || {};
      parts.push(
        h(
          'dl',
          { class: 'kv', 'data-attribution': at.decision },
          h('dt', {}, 'Decision'),
          h('dd', {}, at.decision + (at.reason ? ' (' + at.reason + ')' : '')),
          at.reason_sentence ? [h('dt', {}, 'Why'), h('dd', {}, at.reason_sentence)] : null,
          at.click
            ? [
                h('dt', {}, 'Click'),
                h(
                  'dd',
                  {},
                  clickLink(c.click_id),
                  ' of ' +
                    c.campaign_id +
                    '/' +
                    c.affiliate_id +
                    ', ' +
                    c.age_seconds +
                    ' s old (window ' +
                    c.window_seconds +
                    ' s, minimum ' +
                    c.min_age_seconds +
                    ' s)' +
                    (c.expired_from_store ? ', expired from the store' : '')
                )
              ]
            : null,
          at.existing
            ? [
                h('dt', {}, 'Already counted'),
                h(
                  'dd',
                  {},
                  at.existing.event +
                    ' ' +
                    at.existing.status +
                    ', payout ' +
                    at.existing.payout +
                    ' ' +
                    at.existing.payout_currency
                )
              ]
            : null,
          at.booked
            ? [
                h('dt', {}, 'Would book'),
                h(
                  'dd',
                  {},
                  at.booked.event +
                    ' ' +
                    at.booked.status +
                    ', payout ' +
                    at.booked.payout +
                    ' ' +
                    at.booked.payout_currency
                )
              ]
            : null,
          at.lifetime_customer ? [h('dt', {}, 'Lifetime customer'), h('dd', {}, 'yes')] : null
        )
      );
    }
    parts.push(
      h('h3', {}, 'Deliveries'),
      (d.deliveries || []).length
        ? table(
            'Requests it would send',
            [
              {
                label: 'Destination',
                get: function (x) {
                  return x.destination + ' (' + x.type + ')';
                }
              },
              {
                label: 'Status',
                get: function (x) {
                  return x.status || '';
                }
              },
              {
                label: 'Request',
                get: function (x) {
                  return h('code', {}, (x.method || '') + ' ' + (x.url || ''));
                }
              },
              {
                label: 'Would it go out?',
                get: function (x) {
                  return x.would_fail ? 'No: ' + x.would_fail : 'Yes';
                }
              }
            ],
            d.deliveries,
            { name: 'dry-deliveries' }
          )
        : empty('No request would be sent.')
    );
    return h('div', { class: 'explained' }, parts);
  }

  // ---- Click story ---------------------------------------------------------------------------

  function clickStory(id) {
    page(
      'Click story',
      'A click, its conversions with their status history and deliveries, and every postback that named it.'
    );
    var form = h(
      'form',
      {
        class: 'filters',
        'aria-label': 'Find a click',
        onsubmit: function (e) {
          e.preventDefault();
          location.hash = '#/clicks/' + enc(form.querySelector('#click-id').value.trim());
        }
      },
      field('click-id', 'Click id', h('input', { size: 40, value: id || '', required: true })),
      h('button', { type: 'submit' }, 'Show')
    );
    main.appendChild(form);
    if (!id) {
      return Promise.resolve();
    }
    return api('GET', 'clicks/' + enc(id)).then(function (r) {
      if (r.status === 404) {
        main.appendChild(
          h(
            'p',
            { class: 'notice bad', role: 'alert' },
            'No click has this id (or it has been purged: its' + ' attribution window plus 7 days passed).'
          )
        );
        return null;
      }
      if (r.status !== 200) {
        main.appendChild(failure(r));
        return null;
      }
      var d = r.json;
      var c = d.click;
      (d.warnings || []).forEach(function (w) {
        main.appendChild(h('p', { class: 'notice' }, w));
      });
      main.appendChild(
        h(
          'section',
          { 'aria-labelledby': 'click-title' },
          h('h2', { id: 'click-title' }, 'The click'),
          h(
            'dl',
            { class: 'kv', 'data-click': c.click_id },
            h('dt', {}, 'Click id'),
            h('dd', { class: 'mono' }, c.click_id),
            h('dt', {}, 'Campaign'),
            h('dd', {}, link('#/campaigns/' + enc(c.campaign_id), c.campaign_id)),
            h('dt', {}, 'Affiliate'),
            h('dd', {}, c.affiliate_id),
            h('dt', {}, 'Clicked'),
            h('dd', {}, time(c.created_at)),
            h('dt', {}, 'Kept until'),
            h('dd', {}, time(c.expires_at)),
            h('dt', {}, 'Country'),
            h('dd', {}, c.country || 'unknown'),
            h('dt', {}, 'Subs'),
            h(
              'dd',
              {},
              Object.keys(c.subs || {})
                .map(function (k) {
                  return k + '=' + c.subs[k];
                })
                .join(', ') || 'none'
            ),
            h('dt', {}, 'Platform click ids'),
            h('dd', {}, Object.keys(c.platform_ids || {}).join(', ') || 'none'),
            h('dt', {}, 'Other parameters'),
            h(
              'dd',
              {},
              Object.keys(c.extra || {})
                .map(function (k) {
                  return k + '=' + c.extra[k];
                })
                .join(', ') || 'none'
            )
          )
        )
      );
      var convs = h(
        'section',
        { 'aria-labelledby': 'conv-title' },
        h('h2', { id: 'conv-title' }, 'Conversions (' + d.conversions.length + ')')
      );
      main.appendChild(convs);
      if (!d.conversions.length) {
        convs.appendChild(empty('No conversion yet.'));
      }
      d.conversions.forEach(function (v) {
        convs.appendChild(
          h(
            'article',
            { class: 'conversion', 'data-conversion': v.event + '#' + v.txid },
            h('h3', {}, v.event + (v.txid ? ' - txid ' + v.txid : '') + ': ' + v.status),
            h(
              'dl',
              { class: 'kv' },
              h('dt', {}, 'Payout'),
              h('dd', {}, v.payout + ' ' + v.payout_currency + (v.payout_note ? ' (' + v.payout_note + ')' : '')),
              h('dt', {}, 'Amount'),
              h('dd', {}, v.amount === null ? 'not sent' : v.amount + ' ' + v.currency),
              h('dt', {}, 'Affiliate credited'),
              h('dd', {}, v.affiliate_id),
              h('dt', {}, 'Counted'),
              h('dd', {}, time(v.created_at))
            ),
            table(
              'Status history of ' + v.event,
              [
                {
                  label: 'When',
                  get: function (s) {
                    return time(s.at);
                  }
                },
                {
                  label: 'Change',
                  get: function (s) {
                    return (s.from || 'new') + ' -> ' + s.to;
                  }
                },
                {
                  label: 'Postback',
                  get: function (s) {
                    return h('code', {}, s.postback_id);
                  }
                }
              ],
              v.status_history || [],
              { name: 'history', showCaption: true }
            ),
            (v.deliveries || []).length
              ? table(
                  'Deliveries of ' + v.event,
                  [
                    {
                      label: 'When',
                      get: function (x) {
                        return time(x.at);
                      }
                    },
                    {
                      label: 'Destination',
                      get: function (x) {
                        return x.target;
                      }
                    },
                    {
                      label: 'Announced',
                      get: function (x) {
                        return x.status;
                      }
                    },
                    {
                      label: 'HTTP',
                      numeric: true,
                      get: function (x) {
                        return x.http_status || 'none';
                      }
                    },
                    {
                      label: 'Latency',
                      numeric: true,
                      get: function (x) {
                        return x.latency_ms + ' ms';
                      }
                    },
                    {
                      label: 'Result',
                      get: function (x) {
                        return x.error
                          ? h('span', { class: 'fate-bad' }, 'Failed: ' + x.error)
                          : h('span', { class: 'fate-good' }, 'Delivered');
                      }
                    }
                  ],
                  v.deliveries,
                  { name: 'click-deliveries', showCaption: true }
                )
              : empty('No delivery attempt yet.')
          )
        );
      });
      var sent = h(
        'section',
        { 'aria-labelledby': 'sent-title' },
        h('h2', { id: 'sent-title' }, 'Requests and responses')
      );
      main.appendChild(sent);
      main.appendChild(
        h(
          'section',
          { 'aria-labelledby': 'named-title' },
          h('h2', { id: 'named-title' }, 'Postbacks that named this click (' + d.postbacks.length + ')'),
          d.postbacks.length
            ? table(
                'Postbacks that named this click',
                [
                  {
                    label: 'Received',
                    get: function (p) {
                      return time(p.received_at);
                    }
                  },
                  {
                    label: 'What happened',
                    get: function (p) {
                      var f = fate(p);
                      return h('span', { class: 'fate-' + f[0] }, f[1]);
                    }
                  },
                  {
                    label: 'Event',
                    get: function (p) {
                      return p.event;
                    }
                  },
                  {
                    label: 'Txid',
                    get: function (p) {
                      return p.txid;
                    }
                  },
                  {
                    label: 'Payout sent',
                    numeric: true,
                    get: function (p) {
                      return p.payout === null ? '' : p.payout;
                    }
                  },
                  {
                    label: 'From',
                    get: function (p) {
                      return p.source_ip || '';
                    }
                  }
                ],
                d.postbacks,
                { name: 'click-postbacks' }
              )
            : empty('No recorded postback named it.')
        )
      );
      var from = new Date(Date.parse(c.created_at) - 60000).toISOString();
      return getAll('deliveries?campaign_id=' + enc(c.campaign_id) + '&from=' + enc(from), 4).then(
        function (items) {
          var mine = items.filter(function (x) {
            return x.click_id === c.click_id;
          });
          sent.appendChild(
            mine.length
              ? table(
                  'Requests sent for this click',
                  [
                    {
                      label: 'When',
                      get: function (x) {
                        return time(x.at);
                      }
                    },
                    {
                      label: 'Destination',
                      get: function (x) {
                        return x.destination + ' #' + x.attempt;
                      }
                    },
                    {
                      label: 'Outcome',
                      get: function (x) {
                        return outcomeWords(x);
                      }
                    },
                    {
                      label: 'Request',
                      get: function (x) {
                        return h('code', {}, (x.method || '(not sent)') + ' ' + (x.url || ''));
                      }
                    },
                    {
                      label: 'Response',
                      get: function (x) {
                        return (
                          (x.http_status ? 'HTTP ' + x.http_status : 'no response') +
                          (x.response ? ': ' + x.response : '') +
                          (x.reason ? ' (' + x.reason + ')' : '')
                        );
                      }
                    }
                  ],
                  mine,
                  { name: 'click-requests' }
                )
              : empty('Nothing sent yet.')
          );
        },
        function (e) {
          sent.appendChild(failure(e));
        }
      );
    });
  }

  // ---- Campaigns -----------------------------------------------------------------------------

  function campaignList() {
    page('Campaigns');
    campaignsCache = null;
    main.appendChild(h('p', {}, link('#/campaigns/new', 'New campaign')));
    return campaigns().then(function (list) {
      main.appendChild(
        list.length
          ? table(
              'Campaigns',
              [
                {
                  label: 'Campaign',
                  get: function (c) {
                    return link('#/campaigns/' + enc(c.campaign_id), c.campaign_id);
                  }
                },
                {
                  label: 'Status',
                  get: function (c) {
                    return c.status;
                  }
                },
                {
                  label: 'Affiliates',
                  numeric: true,
                  get: function (c) {
                    return c.affiliates;
                  }
                },
                {
                  label: 'Destinations',
                  numeric: true,
                  get: function (c) {
                    return c.destinations;
                  }
                },
                {
                  label: 'Created',
                  get: function (c) {
                    return time(c.created_at);
                  }
                },
                {
                  label: 'Changed',
                  get: function (c) {
                    return time(c.updated_at);
                  }
                }
              ],
              list,
              { name: 'campaigns' }
            )
          : empty('No campaign yet.')
      );
    });
  }

  /** The form's fields: [name, label, kind, hint]; kinds: text, secret, int, bool, enum:a|b, lines, json. */
  var CAMPAIGN_FIELDS = [
    ['landing_url', 'Landing URL', 'text', 'Macros: {click_id}, {campaign_id}, {affiliate_id}, {sub1}..{sub10}.'],
    ['status', 'Status', 'enum:active|paused|archived'],
    ['postback_token', 'Postback token', 'secret', '******** keeps the stored token; empty removes it.'],
    ['signing_secret', 'Signing secret', 'secret', '******** keeps the stored secret; empty removes it.'],
    ['ip_allowlist', 'IP allowlist', 'lines', 'One address or CIDR block a line.'],
    ['postback_auth', 'Postback authentication', 'enum:required|none'],
    ['postback_payout', 'Postback may set the payout', 'enum:authenticated|always|never'],
    ['attribution_window_days', 'Attribution window (days)', 'int', '1 to 3650.'],
    ['min_click_age_seconds', 'Minimum click age (seconds)', 'int'],
    ['currency', 'Currency', 'text', 'Three letters.'],
    ['allow_repeat_sales', 'Allow repeat sales', 'bool', 'A new txid on a converted click counts again.'],
    ['transaction_id_means', 'transaction_id means', 'enum:order_id|click_id'],
    ['affiliates', 'Affiliates (JSON)', 'json', '{"a1": {"postback_url": "https://..."}}'],
    ['payouts', 'Payout rules (JSON)', 'json'],
    ['status_map', 'Status words (JSON)', 'json'],
    ['destinations', 'Destinations (JSON)', 'json']
  ];

  function campaignForm(c, isNew, onSaved) {
    var form = h('form', { 'aria-labelledby': 'edit-title', novalidate: true });
    var controls = [];
    if (isNew) {
      controls.push(field('f-campaign_id', 'Campaign id', h('input', { size: 24, required: true })));
    }
    CAMPAIGN_FIELDS.forEach(function (f) {
      var name = f[0];
      var kind = f[2];
      var v = c[name];
      var control;
      if (kind === 'bool') {
        control = h('input', { type: 'checkbox', checked: !!v });
      } else if (kind.indexOf('enum:') === 0) {
        control = select(name, kind.slice(5).split('|'), v || kind.slice(5).split('|')[0]);
      } else if (kind === 'lines') {
        control = h('textarea', { rows: 2, value: (v || []).join('\n') });
      } else if (kind === 'json') {
        control = h('textarea', {
          rows: name === 'destinations' || name === 'affiliates' ? 5 : 2,
          value: v === undefined ? '' : JSON.stringify(v, null, 2)
        });
      } else {
        control = h('input', {
          type: kind === 'int' ? 'number' : 'text',
          size: kind === 'text' ? 60 : 10,
          value: v === undefined || v === null ? '' : String(v),
          autocomplete: kind === 'secret' ? 'off' : null
        });
      }
      control.setAttribute('data-field', name);
      controls.push(field('f-' + name, f[1], control, f[3]));
    });
    var status = h('p', { id: 'form-status', role: 'status' });
    append(form, [
      h('div', { class: 'form-grid' }, controls),
      h('p', { class: 'error', id: 'f-form-error', role: 'alert' }),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, isNew ? 'Create campaign' : 'Save campaign')),
      status
    ]);
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      clearErrors(form);
      form.querySelector('#f-form-error').textContent = '';
      var body = {};
      Object.keys(c).forEach(function (k) {
        if (k !== 'warnings' && k !== 'campaign_id') {
          body[k] = c[k];
        }
      });
      var bad = false;
      CAMPAIGN_FIELDS.forEach(function (f) {
        var name = f[0];
        var kind = f[2];
        var el = form.querySelector('#f-' + name);
        if (kind === 'bool') {
          body[name] = el.checked;
        } else if (kind === 'lines') {
          body[name] = el.value
            .split('\n')
            .map(function (s) {
              return s.trim();
            })
            .filter(Boolean);
        } else if (kind === 'json') {
          if (!el.value.trim()) {
            delete body[name];
            return;
          }
          try {
            body[name] = JSON.parse(el.value);
          } catch (err) {
            fieldError(form, 'f-' + name, 'Not valid JSON: ' + err.message);
            bad = true;
          }
        } else if (kind === 'int') {
          if (el.value === '') {
            delete body[name];
          } else if (!/^-?\d+$/.test(el.value)) {
            fieldError(form, 'f-' + name, 'A whole number.');
            bad = true;
          } else {
            body[name] = Number(el.value);
          }
        } else if (el.value === '') {
          delete body[name];
        } else {
          body[name] = el.value;
        }
      });
      var id = isNew ? form.querySelector('#f-campaign_id').value.trim() : c.campaign_id;
      if (!id) {
        fieldError(form, 'f-campaign_id', 'Give the campaign an id.');
        bad = true;
      }
      if (bad) {
        return;
      }
      status.textContent = 'Saving...';
      api('PUT', 'campaigns/' + enc(id), body).then(function (r) {
        status.textContent = '';
        if (r.status === 200) {
          campaignsCache = null;
          say('Campaign ' + id + ' saved.');
          onSaved(r.json);
          return;
        }
        showCampaignError(
          form,
          r,
          CAMPAIGN_FIELDS.map(function (f) {
            return f[0];
          })
        );
      });
    });
    return form;
  }

  /** The API's 400 next to the field it names ({@code parameter}, else the field its message starts with). */
  function showCampaignError(form, r, names) {
    var text = problem(r);
    var message = r.json && r.json.message ? r.json.message : '';
    var target = null;
    var param = r.json && r.json.parameter ? String(r.json.parameter).split(/[.\[]/)[0] : null;
    if (param && names.indexOf(param) >= 0) {
      target = param;
    } else {
      names
        .slice()
        .sort(function (a, b) {
          return b.length - a.length;
        })
        .some(function (n) {
          var re = new RegExp('(^|[^a-z_])' + n + '([^a-z_]|$)');
          if (
            re.test(message) ||
            (n === 'affiliates' && /affiliate/i.test(message)) ||
            (n === 'destinations' && /destination/i.test(message))
          ) {
            target = n;
            return true;
          }
          return false;
        });
    }
    if (!(target && fieldError(form, 'f-' + target, text))) {
      form.querySelector('#f-form-error').textContent = text;
    } else {
      form.querySelector('#f-' + target).focus();
    }
  }

  function campaignView(id) {
    var isNew = id === 'new';
    page(isNew ? 'New campaign' : 'Campaign ' + id);
    if (isNew) {
      main.appendChild(h('h2', { id: 'edit-title' }, 'Settings'));
      main.appendChild(
        campaignForm({ affiliates: {} }, true, function (saved) {
          location.hash = '#/campaigns/' + enc(saved.campaign_id);
        })
      );
      return Promise.resolve();
    }
    return api('GET', 'campaigns/' + enc(id)).then(function (r) {
      if (r.status !== 200) {
        main.appendChild(failure(r));
        return null;
      }
      drawCampaign(r.json);
      return postbackUrls(id);
    });
  }

  function drawCampaign(c) {
    var id = c.campaign_id;
    var holder = h('div', { id: 'campaign' });
    var existing = document.getElementById('campaign');
    if (existing) {
      existing.replaceWith(holder);
    } else {
      main.appendChild(holder);
    }
    (c.warnings || []).forEach(function (w) {
      holder.appendChild(h('p', { class: 'notice bad' }, w));
    });
    var statusLine = h('p', {}, 'Status: ', h('strong', { 'data-status': c.status }, c.status));
    function setStatus(to) {
      return function () {
        api('GET', 'campaigns/' + enc(id))
          .then(function (r) {
            if (r.status !== 200) {
              throw r;
            }
            var body = r.json;
            delete body.warnings;
            body.status = to;
            return api('PUT', 'campaigns/' + enc(id), body);
          })
          .then(function (r) {
            if (r.status !== 200) {
              throw r;
            }
            campaignsCache = null;
            say('Campaign ' + id + ' is now ' + to + '.');
            drawCampaign(r.json);
            var focus = document.querySelector('[data-status]');
            if (focus) {
              focus.parentNode.setAttribute('tabindex', '-1');
              focus.parentNode.focus();
            }
          })
          .catch(function (e) {
            holder.insertBefore(failure(e), holder.firstChild);
          });
      };
    }
    var actions = h(
      'div',
      { class: 'actions', role: 'group', 'aria-label': 'Campaign status' },
      c.status !== 'active' ? h('button', { type: 'button', onclick: setStatus('active') }, 'Activate') : null,
      c.status !== 'paused'
        ? h('button', { type: 'button', class: 'secondary', onclick: setStatus('paused') }, 'Pause')
        : null,
      c.status !== 'archived'
        ? h('button', { type: 'button', class: 'secondary', onclick: setStatus('archived') }, 'Archive')
        : null
    );
    holder.appendChild(statusLine);
    holder.appendChild(actions);
    holder.appendChild(
      h(
        'p',
        { class: 'muted' },
        'Paused: refuses clicks, still accepts postbacks. Archived: refuses both,' + ' keeps every record.'
      )
    );
    holder.appendChild(h('h2', { id: 'edit-title' }, 'Settings'));
    var formPane = h(
      'div',
      { id: 'pane-form', role: 'tabpanel', 'aria-labelledby': 'tab-form' },
      campaignForm(c, false, drawCampaign)
    );
    var jsonArea = h('textarea', { rows: 22, value: JSON.stringify(strip(c), null, 2) });
    var jsonStatus = h('p', { role: 'status' });
    var jsonForm = h(
      'form',
      {
        'aria-label': 'Campaign as JSON',
        novalidate: true,
        onsubmit: function (e) {
          e.preventDefault();
          clearErrors(jsonForm);
          var body;
          try {
            body = JSON.parse(jsonArea.value);
          } catch (err) {
            fieldError(jsonForm, 'f-json', 'Not valid JSON: ' + err.message);
            return;
          }
          api('PUT', 'campaigns/' + enc(id), body).then(function (r) {
            if (r.status === 200) {
              say('Campaign ' + id + ' saved.');
              drawCampaign(r.json);
              return;
            }
            fieldError(jsonForm, 'f-json', problem(r));
          });
        }
      },
      field('f-json', 'The campaign as JSON (secrets masked: ******** keeps a stored one)', jsonArea),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Save JSON')),
      jsonStatus
    );
    var jsonPane = h(
      'div',
      { id: 'pane-json', role: 'tabpanel', 'aria-labelledby': 'tab-json', hidden: true },
      jsonForm
    );
    function tab(idTab, label, pane, other, otherTab) {
      return h(
        'button',
        {
          type: 'button',
          role: 'tab',
          id: idTab,
          'aria-controls': pane.id,
          'aria-selected': pane.hidden ? 'false' : 'true',
          onclick: function (e) {
            pane.hidden = false;
            other.hidden = true;
            e.target.setAttribute('aria-selected', 'true');
            document.getElementById(otherTab).setAttribute('aria-selected', 'false');
          }
        },
        label
      );
    }
    holder.appendChild(
      h(
        'div',
        { class: 'tabs', role: 'tablist', 'aria-label': 'Edit as' },
        tab('tab-form', 'Form', formPane, jsonPane, 'tab-json'),
        tab('tab-json', 'JSON', jsonPane, formPane, 'tab-form')
      )
    );
    holder.appendChild(formPane);
    holder.appendChild(jsonPane);
  }

  function strip(c) {
    var copy = JSON.parse(JSON.stringify(c));
    delete copy.warnings;
    return copy;
  }

  function postbackUrls(id) {
    var section = h(
      'section',
      { 'aria-labelledby': 'urls-title' },
      h('h2', { id: 'urls-title' }, 'Postback URLs per network'),
      h('p', { class: 'muted' }, 'Paste the URL into the network or tracker; it contains the postback token.')
    );
    main.appendChild(section);
    return api('GET', 'campaigns/' + enc(id) + '/postback-urls').then(function (r) {
      if (r.status !== 200) {
        section.appendChild(failure(r));
        return;
      }
      section.appendChild(
        table(
          'Postback URL per system',
          [
            {
              label: 'System',
              get: function (s) {
                return s.system + ' (' + s.kind + ')';
              }
            },
            {
              label: 'URL',
              get: function (s) {
                if (!s.url) {
                  return h('span', { class: 'muted' }, 'No documented outbound macros.');
                }
                var code = h('code', {}, s.url);
                var done = h('span', { role: 'status', class: 'muted' });
                return [
                  code,
                  ' ',
                  h(
                    'button',
                    {
                      type: 'button',
                      class: 'secondary',
                      'aria-label': 'Copy the ' + s.system + ' URL',
                      onclick: function () {
                        copy(s.url, code, done);
                      }
                    },
                    'Copy'
                  ),
                  ' ',
                  done
                ];
              }
            },
            {
              label: 'Click id travels in',
              get: function (s) {
                return s.click_id_travels_in || '';
              }
            },
            {
              label: 'Not in the URL',
              get: function (s) {
                return (s.undocumented || []).join(', ');
              }
            },
            {
              label: 'Notes',
              get: function (s) {
                return (s.notes || []).join(' ');
              }
            }
          ],
          r.json.systems || [],
          { name: 'postback-urls' }
        )
      );
    });
  }

  function copy(text, node, done) {
    function selectIt() {
      var range = document.createRange();
      range.selectNodeContents(node);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      done.textContent = 'Selected: press Ctrl+C to copy.';
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(function () {
        done.textContent = 'Copied.';
      }, selectIt);
    } else {
      selectIt();
    }
  }

  // ---- Deliveries ----------------------------------------------------------------------------

  var OUTCOMES = [
    ['failed', 'failed and dead (not delivered)'],
    ['all', 'all'],
    'delivered',
    'retrying',
    'dead',
    'skipped',
    'redirect_not_followed'
  ];

  function outcomeWords(x) {
    switch (x.outcome) {
      case 'delivered':
        return h('span', { class: 'fate-good' }, 'Delivered (HTTP ' + x.http_status + ')');
      case 'retrying':
        return h(
          'span',
          { class: 'fate-warn' },
          'Failed, will retry' + (x.next_retry_at ? ' at ' + time(x.next_retry_at) : '')
        );
      case 'dead':
        return h('span', { class: 'fate-bad' }, 'Dead: retries used up (replayable)');
      case 'skipped':
        return h('span', { class: 'fate-warn' }, 'Skipped: nothing sent');
      case 'redirect_not_followed':
        return h('span', { class: 'fate-warn' }, 'Redirect not followed, will retry');
      default:
        return x.outcome || '';
    }
  }

  function deliveries(params) {
    page('Deliveries', 'Attempts to relay conversions to affiliates and destinations, newest first.');
    return campaigns().then(function (list) {
      var campaign = params.campaign_id || (list.length ? list[0].campaign_id : '');
      var outcome = params.outcome === undefined ? 'failed' : params.outcome;
      main.appendChild(
        filterForm(
          'deliveries',
          [
            field('dl-campaign', 'Campaign', select('campaign_id', campaignOptions(list, false, false), campaign)),
            field('dl-outcome', 'Outcome', select('outcome', OUTCOMES, outcome)),
            field(
              'dl-destination',
              'Destination',
              h('input', { name: 'destination', value: params.destination || '', size: 18 }),
              'affiliate:<id> or a destination id'
            )
          ],
          'Delivery filters'
        )
      );
      var result = h('p', { id: 'replay-result', role: 'status' });
      var max = h('input', { type: 'number', min: 1, max: 1000, value: '100', size: 6 });
      main.appendChild(
        h(
          'section',
          { 'aria-labelledby': 'replay-title' },
          h('h2', { id: 'replay-title' }, 'Replay dead deliveries'),
          h(
            'p',
            { class: 'muted' },
            'Moves dead deliveries (of every campaign) from the dead-letter queue back onto the' +
              ' delivery queue; fix the destination first.'
          ),
          h(
            'div',
            { class: 'actions' },
            field('dl-max', 'At most', max),
            h(
              'button',
              {
                type: 'button',
                id: 'replay-dead',
                onclick: function () {
                  result.textContent = 'Replaying...';
                  api('POST', 'deliveries/replay?max=' + enc(max.value || '100')).then(function (r) {
                    result.textContent =
                      r.status === 200
                        ? 'Moved ' + r.json.replayed + ' dead deliveries back onto the delivery' + ' queue.'
                        : problem(r);
                    result.setAttribute('data-replayed', r.status === 200 ? String(r.json.replayed) : 'error');
                  });
                }
              },
              'Replay all dead'
            )
          ),
          result
        )
      );
      if (!campaign) {
        main.appendChild(empty('No campaign yet.'));
        return null;
      }
      var holder = h('section', { 'aria-labelledby': 'attempts-title' }, h('h2', { id: 'attempts-title' }, 'Attempts'));
      main.appendChild(holder);
      var q = qs({
        campaign_id: campaign,
        outcome: outcome === 'failed' || outcome === 'all' ? '' : outcome,
        destination: params.destination
      });
      return getAll('deliveries?' + q, 4).then(function (items) {
        var shown =
          outcome === 'failed'
            ? items.filter(function (x) {
                return x.outcome !== 'delivered';
              })
            : items;
        holder.appendChild(
          shown.length
            ? table(
                'Delivery attempts',
                [
                  {
                    label: 'When',
                    get: function (x) {
                      return time(x.at);
                    }
                  },
                  {
                    label: 'Destination',
                    get: function (x) {
                      return x.destination;
                    }
                  },
                  {
                    label: 'Click',
                    get: function (x) {
                      return clickLink(x.click_id);
                    }
                  },
                  {
                    label: 'Announced',
                    get: function (x) {
                      return x.status;
                    }
                  },
                  {
                    label: 'Attempt',
                    numeric: true,
                    get: function (x) {
                      return x.attempt;
                    }
                  },
                  {
                    label: 'Outcome',
                    get: function (x) {
                      return outcomeWords(x);
                    }
                  },
                  {
                    label: 'Request and answer',
                    get: function (x) {
                      return [
                        h('code', {}, (x.method || '(not sent)') + ' ' + (x.url || '')),
                        h('br'),
                        (x.http_status ? 'HTTP ' + x.http_status : 'no response') + (x.reason ? ': ' + x.reason : '')
                      ];
                    }
                  },
                  {
                    label: 'Action',
                    get: function (x) {
                      if (x.outcome === 'delivered') {
                        return '';
                      }
                      var out = h('span', { role: 'status', 'data-retry-result': true });
                      return [
                        h(
                          'button',
                          {
                            type: 'button',
                            class: 'secondary',
                            'aria-label': 'Retry delivery ' + x.delivery_id + ' now',
                            onclick: function (e) {
                              e.target.disabled = true;
                              api('POST', 'deliveries/' + enc(x.delivery_id) + '/retry').then(function (r) {
                                out.textContent =
                                  r.status === 200
                                    ? ' Queued again (its last outcome: ' + r.json.last_outcome + ').'
                                    : ' ' + problem(r);
                                e.target.disabled = false;
                              });
                            }
                          },
                          'Retry now'
                        ),
                        out
                      ];
                    }
                  }
                ],
                shown,
                {
                  name: 'deliveries',
                  rowAttrs: function (x) {
                    return { 'data-outcome': x.outcome, 'data-delivery': x.delivery_id };
                  }
                }
              )
            : empty(outcome === 'failed' ? 'No failed delivery: every attempt delivered.' : 'No attempt matches.')
        );
      });
    });
  }

  // ---- Reports -------------------------------------------------------------------------------

  function reports(params) {
    page('Reports', 'Clicks, conversions by status, revenue, payout and rates, grouped as you choose.');
    var start = todayStart() - 6 * DAY;
    var p = {
      group_by: params.group_by || 'campaign',
      from: params.from || dateOnly(start),
      to: params.to || dateOnly(todayStart() + DAY),
      campaign_id: params.campaign_id || '',
      affiliate_id: params.affiliate_id || '',
      tz: params.tz || '+00:00'
    };
    return campaigns().then(function (list) {
      var groups = p.group_by.split(',');
      var form = filterForm(
        'reports',
        [
          h(
            'fieldset',
            {},
            h('legend', {}, 'Group by'),
            window.Reports.DIMENSIONS.map(function (d) {
              return h(
                'label',
                {},
                h('input', { type: 'checkbox', name: 'group_by', value: d, checked: groups.indexOf(d) >= 0 }),
                ' ' + d + ' '
              );
            })
          ),
          field('rp-from', 'From (date)', h('input', { type: 'date', name: 'from', value: p.from })),
          field('rp-to', 'To (date, exclusive)', h('input', { type: 'date', name: 'to', value: p.to })),
          field('rp-campaign', 'Campaign', select('campaign_id', campaignOptions(list, true, false), p.campaign_id)),
          field('rp-affiliate', 'Affiliate', h('input', { name: 'affiliate_id', value: p.affiliate_id, size: 12 })),
          field('rp-tz', 'Time zone offset', h('input', { name: 'tz', value: p.tz, size: 7 }), 'e.g. +05:30, -03:00')
        ],
        'Report settings'
      );
      main.appendChild(form);
      var holder = h('section', { id: 'report', 'aria-label': 'Report' });
      main.appendChild(holder);
      return window.Reports.fetch(api, p).then(
        function (report) {
          if (!report.available) {
            holder.appendChild(
              h(
                'p',
                { class: 'notice', 'data-reports': 'unavailable' },
                'This relay has no reports API' + ' (GET /admin/reports answered 404): deploy a version with it.'
              )
            );
            return;
          }
          var cols = window.Reports.columns(report);
          var columns = cols.map(function (c) {
            return { label: c.label, numeric: c.numeric, get: c.get };
          });
          var foot = h(
            'tr',
            { 'data-totals': true },
            cols.map(function (c, i) {
              return h(
                'td',
                { class: c.numeric ? 'num' : null, 'data-col': c.key },
                i === 0 && !c.numeric ? 'Total' : c.numeric ? c.get(report.totals) : ''
              );
            })
          );
          holder.appendChild(
            h(
              'p',
              { class: 'muted' },
              'From ' + time(report.from) + ' to ' + time(report.to) + ' (tz ' + report.tz + ').'
            )
          );
          holder.appendChild(
            report.rows.length
              ? table('Report rows', columns, report.rows, { name: 'report', foot: foot })
              : empty('No activity in this range.')
          );
          var status = h('span', { role: 'status' });
          holder.appendChild(
            h(
              'div',
              { class: 'actions' },
              h(
                'button',
                {
                  type: 'button',
                  class: 'secondary',
                  id: 'csv',
                  onclick: function () {
                    window.Reports.csv(api, p).then(
                      function (text) {
                        var url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
                        var a = h('a', { href: url, download: 'report-' + p.from + '-' + p.to + '.csv' });
                        document.body.appendChild(a);
                        a.click();
                        a.remove();
                        setTimeout(function () {
                          URL.revokeObjectURL(url);
                        }, 1000);
                        status.textContent = 'Downloaded (' + text.split('\r\n').filter(Boolean).length + ' lines).';
                      },
                      function (e) {
                        status.textContent = problem(e);
                      }
                    );
                  }
                },
                'Download CSV'
              ),
              status
            )
          );
        },
        function (e) {
          holder.appendChild(failure(e));
        }
      );
    });
  }

  // ---- routing -------------------------------------------------------------------------------

  function render() {
    var raw = location.hash.replace(/^#\/?/, '');
    var q = raw.indexOf('?');
    var path = q >= 0 ? raw.slice(0, q) : raw;
    var params = hashParams(q >= 0 ? raw.slice(q + 1) : '');
    var parts = path.split('/').map(decodeURIComponent);
    var route = parts[0] || 'overview';
    Array.prototype.forEach.call(document.querySelectorAll('[data-nav]'), function (a) {
      if (a.getAttribute('data-nav') === route) {
        a.setAttribute('aria-current', 'page');
      } else {
        a.removeAttribute('aria-current');
      }
    });
    main.setAttribute('data-state', 'loading');
    main.setAttribute('aria-busy', 'true');
    main.setAttribute('data-page', route);
    var work;
    switch (route) {
      case 'postbacks':
        work = postbacks(params);
        break;
      case 'clicks':
        work = clickStory(parts[1]);
        break;
      case 'campaigns':
        work = parts[1] ? campaignView(parts[1]) : campaignList();
        break;
      case 'deliveries':
        work = deliveries(params);
        break;
      case 'reports':
        work = reports(params);
        break;
      default:
        route = 'overview';
        work = overview();
    }
    var token = (render.token = (render.token || 0) + 1);
    Promise.resolve(work)
      .then(
        function () {
          if (token === render.token) {
            main.setAttribute('data-state', 'ready');
          }
        },
        function (e) {
          if (e && e.status === 401) {
            main.textContent = '';
            page('No console session');
            main.appendChild(
              h(
                'p',
                { class: 'notice bad', role: 'alert' },
                'Open the URL that relay console printed: it' + " starts this browser's session."
              )
            );
          } else {
            main.appendChild(failure(e));
          }
          if (token === render.token) {
            main.setAttribute('data-state', 'error');
          }
        }
      )
      .then(function () {
        main.setAttribute('aria-busy', 'false');
        var heading = main.querySelector('h1');
        if (heading && render.focus) {
          heading.focus();
        }
        render.focus = true;
      });
  }

  window.addEventListener('hashchange', render);
  render();
})();
