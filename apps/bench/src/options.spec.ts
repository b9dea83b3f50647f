import { UsageError } from '@niryat/testing';
import { parseOptions, SECTIONS } from './options';

describe('npm run bench options', () => {
  it('runs every section at the issue’s three rates by default', () => {
    const options = parseOptions([]);
    expect(options).toMatchObject({ rates: [500, 2_000, 5_000], sections: [...SECTIONS], orders: 30_000 });
  });

  it('keeps the sections in their running order, whatever order they are asked in', () => {
    expect(parseOptions(['--sections', 'naive,pipeline'])).toMatchObject({ sections: ['pipeline', 'naive'] });
  });

  it('passes --service-env pairs to every service, values kept whole', () => {
    expect(parseOptions(['--service-env', 'CONSUMER_CHUNK_SIZE=2000', '--service-env', 'NODE_OPTIONS=--max-old-space-size=256'])).toMatchObject({
      serviceEnv: { CONSUMER_CHUNK_SIZE: '2000', NODE_OPTIONS: '--max-old-space-size=256' },
    });
  });

  it.each([
    [['--service-env', 'lower=1'], /--service-env takes NAME=value/],
    [['--sections', 'pipeline,speed'], /--sections takes some of/],
    [['--rates', '2000,fast'], /--rates takes whole events\/s/],
    [['--orders', '5'], /--orders must be an integer from 100/],
    [['--duplicates', '0.9'], /--duplicates must be a number from 0 to 0.5/],
    [['--wat'], /unknown option --wat/],
  ])('refuses %j with a reason', (argv, reason) => {
    expect(() => parseOptions(argv)).toThrow(UsageError);
    expect(() => parseOptions(argv)).toThrow(reason);
  });
});
