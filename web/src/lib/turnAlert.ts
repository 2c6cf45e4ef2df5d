/**
 * "It is your turn" when the shopper looks elsewhere: a browser notification (only with their
 * permission, asked for by a button, never on load) and a short chime. Browsers allow sound only
 * after a gesture, so the audio context is opened on the click that joins the queue.
 */
let audio: AudioContext | null = null;

export function primeSound(): void {
  try {
    audio ??= new AudioContext();
    void audio.resume();
  } catch {
    audio = null;
  }
}

function chime(): void {
  if (!audio) return;
  const start = audio.currentTime;
  for (const [i, freq] of [660, 880].entries()) {
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, start + i * 0.18);
    gain.gain.exponentialRampToValueAtTime(0.2, start + i * 0.18 + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + i * 0.18 + 0.3);
    osc.connect(gain).connect(audio.destination);
    osc.start(start + i * 0.18);
    osc.stop(start + i * 0.18 + 0.32);
  }
}

export const notificationsSupported = () => typeof window !== 'undefined' && 'Notification' in window;

export async function askToNotify(): Promise<NotificationPermission | 'unsupported'> {
  if (!notificationsSupported()) return 'unsupported';
  return Notification.permission === 'default' ? Notification.requestPermission() : Notification.permission;
}

export function announceTurn(title: string, body: string): void {
  chime();
  if (notificationsSupported() && Notification.permission === 'granted' && document.visibilityState !== 'visible') {
    try {
      new Notification(title, { body, tag: 'miaosha-turn' });
    } catch {
      // Some mobile browsers only notify from a service worker; the chime and the page still tell.
    }
  }
}
