import { tableOf, toCsv } from './csv';

describe('toCsv', () => {
  it('writes a header of every column and quotes what needs quoting', () => {
    expect(toCsv([{ programme: 'walmart-vriddhi', stateName: 'Jammu, Kashmir', note: 'say "hi"' }, { programme: 'x', extra: 1 }])).toBe(
      'programme,stateName,note,extra\r\nwalmart-vriddhi,"Jammu, Kashmir","say ""hi""",\r\nx,,,1\r\n',
    );
  });

  it('writes nested values as JSON and nothing for null', () => {
    expect(toCsv([{ a: { b: 1 }, c: null }])).toBe('a,c\r\n"{""b"":1}",\r\n');
  });

  it('finds the table of an answer', () => {
    expect(tableOf({ rows: [{ a: 1 }] })).toEqual([{ a: 1 }]);
    expect(tableOf({ items: [] })).toEqual([]);
    expect(tableOf([{ a: 1 }])).toEqual([{ a: 1 }]);
    expect(tableOf({ total: 1 })).toBeUndefined();
  });
});
