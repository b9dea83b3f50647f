import { assertIsoDate, isIsoDate } from './iso-date';

describe('isIsoDate', () => {
  it.each(['2025-01-01', '2024-02-29', '2000-02-29', '2026-12-31', '0001-01-01', '0099-06-15'])('accepts %s', (date) => {
    expect(isIsoDate(date)).toBe(true);
  });

  it.each(['2025-02-29', '1900-02-29', '2025-13-01', '2025-00-10', '2025-04-31', '2025-1-1', '25-01-01', '2025/01/01', '2025-01-01T00:00:00Z', ' 2025-01-01', '', null, 20250101])(
    'refuses %p',
    (value) => {
      expect(isIsoDate(value)).toBe(false);
      expect(() => assertIsoDate(value, 'date')).toThrow(/date must be a date written YYYY-MM-DD/);
    },
  );
});
