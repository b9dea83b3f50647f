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

  it('defuses text a spreadsheet would run as a formula, and leaves numbers alone', () => {
    expect(toCsv([{ name: '=HYPERLINK("http://x","y")', a: '+1 555', b: '@SUM(A1)', c: '-A1', d: '\tx', value: '-20000', e: -1.5, f: 'Agra' }])).toBe(
      `name,a,b,c,d,value,e,f\r\n"'=HYPERLINK(""http://x"",""y"")",'+1 555,'@SUM(A1),'-A1,'\tx,-20000,-1.5,Agra\r\n`,
    );
  });

  it('finds the table of an answer', () => {
    expect(tableOf({ rows: [{ a: 1 }] })).toEqual([{ a: 1 }]);
    expect(tableOf({ items: [] })).toEqual([]);
    expect(tableOf([{ a: 1 }])).toEqual([{ a: 1 }]);
    expect(tableOf({ total: 1 })).toBeUndefined();
  });
});
