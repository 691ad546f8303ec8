import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { createI18n } from './i18n/i18n';
import { createServices, ServicesProvider } from './session/services';
import './styles.css';

const i18n = createI18n();
const services = createServices(i18n);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ServicesProvider services={services} i18n={i18n}>
      <App />
    </ServicesProvider>
  </StrictMode>,
);
