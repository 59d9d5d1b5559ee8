/*
 * Everything that depends on the shape of GET /admin/reports, in one place:
 * {from, to, tz, group_by: [...], rows: [{<dimension>: value, clicks, conversions, pending, approved,
 *  rejected, chargeback, cr, approval_rate, money: {<currency>: {revenue, payout, profit, epc}}}], totals: {...}}.
 * A relay without the route (404) is "not available": the overview then counts from the lists instead.
 */
(function () {
  'use strict';

  var DIMENSIONS = ['campaign', 'affiliate', 'sub1', 'event', 'day', 'hour'];
  var COUNTS = ['clicks', 'conversions', 'pending', 'approved', 'rejected', 'chargeback'];
  var RATES = ['cr', 'approval_rate'];
  var MONEY = ['revenue', 'payout', 'profit', 'epc'];

  function query(params) {
    var parts = [];
    Object.keys(params).forEach(function (k) {
      var v = params[k];
      if (v !== undefined && v !== null && v !== '') {
        parts.push(encodeURIComponent(k) + '=' + encodeURIComponent(v));
      }
    });
    return parts.join('&');
  }

  /** The report, or {available: false} where the relay has no reports route; rejects on other errors. */
  function fetchReport(api, params) {
    return api('GET', 'reports?' + query(params)).then(function (r) {
      if (r.status === 404) {
        return { available: false };
      }
      if (r.status !== 200) {
        throw r;
      }
      return {
        available: true,
        groupBy: r.json.group_by || [],
        rows: r.json.rows || [],
        totals: r.json.totals || {},
        from: r.json.from,
        to: r.json.to,
        tz: r.json.tz
      };
    });
  }

  /** The CSV text of the same report (format=csv). */
  function fetchCsv(api, params) {
    var p = Object.assign({}, params, { format: 'csv' });
    return api('GET', 'reports?' + query(p)).then(function (r) {
      if (r.status !== 200) {
        throw r;
      }
      return r.text;
    });
  }

  /** Every currency that appears in the rows or totals, sorted. */
  function currencies(report) {
    var seen = {};
    (report.rows || []).concat([report.totals || {}]).forEach(function (row) {
      Object.keys(row.money || {}).forEach(function (c) {
        seen[c] = true;
      });
    });
    return Object.keys(seen).sort();
  }

  /** The table's columns: [{key, label, numeric, get(row)}]. */
  function columns(report) {
    var cols = [];
    report.groupBy.forEach(function (d) {
      cols.push({
        key: d,
        label: d,
        numeric: false,
        get: function (row) {
          return row[d] === undefined ? '' : row[d];
        }
      });
    });
    COUNTS.concat(RATES).forEach(function (k) {
      cols.push({
        key: k,
        label: k.replace('_', ' '),
        numeric: true,
        get: function (row) {
          return row[k] === undefined || row[k] === null ? '' : String(row[k]);
        }
      });
    });
    currencies(report).forEach(function (c) {
      MONEY.forEach(function (m) {
        cols.push({
          key: m + '_' + c,
          label: m + ' ' + c,
          numeric: true,
          get: function (row) {
            var money = (row.money || {})[c];
            return money && money[m] !== undefined && money[m] !== null ? String(money[m]) : '';
          }
        });
      });
    });
    return cols;
  }

  /** One row's figures for the overview: clicks, conversions, and revenue and payout in {@code currency}. */
  function figures(row, currency) {
    var money = (row.money || {})[currency] || {};
    return {
      clicks: Number(row.clicks || 0),
      conversions: Number(row.conversions || 0),
      revenue: Number(money.revenue || 0),
      payout: Number(money.payout || 0)
    };
  }

  window.Reports = {
    DIMENSIONS: DIMENSIONS,
    fetch: fetchReport,
    csv: fetchCsv,
    columns: columns,
    currencies: currencies,
    figures: figures,
    query: query
  };
})();
