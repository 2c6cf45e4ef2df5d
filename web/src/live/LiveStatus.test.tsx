import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { LiveStatus } from './LiveStatus';

describe('LiveStatus', () => {
  it('says the units left are live and how long ago they were updated', () => {
    const { rerender } = render(<LiveStatus connection="open" updatedAt={10_000} now={10_500} />);
    expect(screen.getByTestId('live-status')).toHaveTextContent('● live · updated just now');
    rerender(<LiveStatus connection="open" updatedAt={10_000} now={17_400} />);
    expect(screen.getByTestId('live-status')).toHaveTextContent('● live · updated 7 s ago');
  });

  it('says it is reconnecting, with the age of what is shown, while the feed is lost', () => {
    render(<LiveStatus connection="reconnecting" updatedAt={10_000} now={25_000} />);
    expect(screen.getByTestId('live-status')).toHaveTextContent('reconnecting… · updated 15 s ago');
    expect(screen.getByTestId('live-status')).toHaveAttribute('data-connection', 'reconnecting');
  });

  it('shows nothing before the feed said anything', () => {
    const { container } = render(<LiveStatus connection="connecting" updatedAt={null} now={1} />);
    expect(container).toBeEmptyDOMElement();
  });
});
